"""Legacy XML labels map onto the API v2 vocabulary."""

import pytest

from indexing import vocab
from models import OverallStatus, Phase, Sex, StudyType


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Active, not recruiting", OverallStatus.ACTIVE_NOT_RECRUITING),
        ("Unknown status", OverallStatus.UNKNOWN),
        ("RECRUITING", OverallStatus.RECRUITING),
        ("Not yet recruiting", OverallStatus.NOT_YET_RECRUITING),
        (None, OverallStatus.UNKNOWN),
    ],
)
def test_status(label, expected) -> None:
    assert vocab.overall_status(label) == expected


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["N/A"], [Phase.NA]),
        (["Phase 1/Phase 2"], [Phase.PHASE1, Phase.PHASE2]),
        (["Early Phase 1"], [Phase.EARLY_PHASE1]),
        (["PHASE2", "PHASE3"], [Phase.PHASE2, Phase.PHASE3]),
        ([], []),
    ],
)
def test_phases(labels, expected) -> None:
    assert vocab.phases(labels) == expected


def test_unknown_phase_is_an_error() -> None:
    with pytest.raises(ValueError, match="PHASE9"):
        vocab.phases(["Phase 9"])


def test_study_type_and_sex() -> None:
    assert vocab.study_type("Observational [Patient Registry]") == StudyType.OBSERVATIONAL
    assert vocab.study_type("Expanded Access") == StudyType.EXPANDED_ACCESS
    assert vocab.sex("All") == Sex.ALL


@pytest.mark.parametrize(
    ("label", "years"),
    [("18 Years", 18.0), ("6 Months", 0.5), ("2 Weeks", 0.0383), ("N/A", None), (None, None), ("30 Days", 0.0821)],
)
def test_ages_in_years(label, years) -> None:
    assert vocab.age_in_years(label) == years


def test_unreadable_age_is_an_error() -> None:
    with pytest.raises(ValueError, match="unreadable age"):
        vocab.age_in_years("eighteen")


@pytest.mark.parametrize(
    ("label", "iso"),
    [
        ("2019", "2019"),
        ("2019-08", "2019-08"),
        ("2019-08-05", "2019-08-05"),
        ("August 2019", "2019-08"),
        ("March 8, 2018", "2018-03-08"),
        ("", None),
    ],
)
def test_partial_dates_keep_their_precision(label, iso) -> None:
    assert vocab.partial_date(label) == iso


def test_design_values() -> None:
    assert vocab.design_value("Parallel Assignment", drop_suffix="_ASSIGNMENT") == "PARALLEL"
    assert vocab.masking("Double (Participant, Investigator)") == "DOUBLE"
    assert vocab.masking("None (Open Label)") == "NONE"
    assert vocab.enum_name("Educational/Counseling/Training") == "ECT"
    assert vocab.enum_name("Anticipated") == "ESTIMATED"


def test_mesh_ids_of_both_widths_become_one() -> None:
    assert vocab.mesh_id("D007405") == vocab.mesh_id("D000007405") == "D000007405"
    assert vocab.mesh_id("C512352") == "C000512352"
