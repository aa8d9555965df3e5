"""Field-level checks on named real records of the shared corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexing.readers import read_trials
from models import OverallStatus, Phase, Sex, SourceFormat, StudyType, Trial

CROSS_FORMAT_IDS = ["NCT00000410", "NCT00498680", "NCT00492635", "NCT00499317"]


def read_one(path: Path, nct_id: str | None = None) -> Trial:
    found = [t for t in read_trials([path]) if isinstance(t, Trial) and (nct_id is None or t.nct_id == nct_id)]
    assert found, f"{nct_id} not read from {path}"
    return found[0]


@pytest.fixture(scope="module")
def seed_from_xml_zip(corpus_store) -> Trial:
    store, _ = corpus_store
    trial = store.get("NCT03458156")
    assert trial is not None
    return trial


def test_seed_trial_fields(seed_from_xml_zip: Trial) -> None:
    t = seed_from_xml_zip
    assert t.provenance.format == SourceFormat.CTGOV_LEGACY_XML
    assert t.provenance.source_file.endswith("AllPublicXML-sample.zip!NCT0345xxxx/NCT03458156.xml")
    assert t.provenance.registry_date == "2020-07-28"
    assert t.conditions == ["Lupus Nephritis"]
    assert len(t.interventions) == 3
    assert [i.type for i in t.interventions] == ["BIOLOGICAL", "BIOLOGICAL", "OTHER"]
    assert t.eligibility.sex == Sex.ALL
    assert (t.eligibility.minimum_age_years, t.eligibility.maximum_age_years) == (18.0, 60.0)
    assert t.eligibility.healthy_volunteers is False
    assert t.phases == [Phase.NA]
    assert t.design.allocation == "RANDOMIZED"
    assert t.design.intervention_model == "PARALLEL"
    assert t.design.masking == "DOUBLE"
    assert [m.term for m in t.condition_mesh] == ["Nephritis", "Lupus Nephritis"]
    assert t.overall_status == OverallStatus.UNKNOWN
    assert t.study_type == StudyType.INTERVENTIONAL
    assert t.enrollment is not None and (t.enrollment.count, t.enrollment.type) == (30, "ESTIMATED")
    assert (t.dates.start, t.dates.first_posted, t.dates.last_update_posted) == ("2017-01", "2018-03-08", "2018-03-12")
    assert t.eligibility.inclusion[1] == "age 18-60 years."
    assert t.eligibility.exclusion[2] == "Renal failure (glomerular filtration rate < 15 mL/min/1.73 m2)."
    assert "\r" not in (t.eligibility.criteria or "") and "&#" not in (t.eligibility.criteria or "")
    assert len(t.secondary_outcomes) >= 2 and t.primary_outcomes[0].measure == "SLEDAI-2000 score"


def test_seed_page_xml_reads_the_same_as_the_zip_copy(seed_from_xml_zip: Trial, corpus: Path) -> None:
    seed_xml = corpus.parent / "seed" / "NCT03458156.xml"
    if not seed_xml.is_file():
        pytest.skip(f"seed record absent at {seed_xml}")
    from_seed = read_one(seed_xml)
    assert from_seed.content_hash() == seed_from_xml_zip.content_hash()


def test_v2_record_with_results(corpus: Path) -> None:
    t = read_one(corpus / "ctgov-v2" / "studies" / "NCT02513394.json")
    assert t.has_results is True
    assert t.provenance.format == SourceFormat.CTGOV_V2_JSON
    assert t.provenance.registry_date is not None
    assert all(m.id and len(m.id) == 10 for m in t.condition_mesh + t.condition_mesh_ancestors)


def test_v2_text_escapes_are_cleaned(corpus: Path) -> None:
    t = read_one(corpus / "ctgov-v2" / "bulk" / "ctg-studies-erectile-dysfunction.json.zip", "NCT06600893")
    assert "Subject has a body mass index (BMI) < 37 kg/m2;" in t.eligibility.inclusion
    text = (t.eligibility.criteria or "") + (t.brief_summary or "") + (t.detailed_description or "")
    assert "\\" not in text and "&lt;" not in text and "&gt;" not in text


def test_page_and_array_and_single_study_formats(corpus: Path) -> None:
    page = [t for t in read_trials([corpus / "ctgov-v2" / "pages" / "studies-page-2-studies.json"])]
    assert len(page) == 2 and all(isinstance(t, Trial) for t in page)
    array = list(read_trials([corpus / "ctgov-v2" / "bulk" / "ctg-studies-asthma.json"]))
    assert len(array) == 10 and all(isinstance(t, Trial) for t in array)


@pytest.fixture(scope="module")
def cross_format(corpus: Path) -> dict[str, dict[SourceFormat, Trial]]:
    """The trials that the corpus holds in both formats, read once from each."""
    found: dict[str, dict[SourceFormat, Trial]] = {nct_id: {} for nct_id in CROSS_FORMAT_IDS}
    for t in read_trials([corpus / "allpublicxml", corpus / "ctgov-v2"]):
        if isinstance(t, Trial) and t.nct_id in found:
            found[t.nct_id][t.provenance.format] = t
    return found


@pytest.mark.parametrize("nct_id", CROSS_FORMAT_IDS)
def test_same_trial_from_two_formats_has_equal_core_fields(cross_format, nct_id: str) -> None:
    from_xml = cross_format[nct_id][SourceFormat.CTGOV_LEGACY_XML]
    from_v2 = cross_format[nct_id][SourceFormat.CTGOV_V2_JSON]
    assert from_xml.provenance.format != from_v2.provenance.format
    core = {
        "brief_title",
        "official_title",
        "brief_summary",
        "detailed_description",
        "conditions",
        "keywords",
        "interventions",
        "arm_groups",
        "eligibility",
        "phases",
        "study_type",
        "design",
        "enrollment",
        "lead_sponsor",
        "collaborators",
        "primary_outcomes",
        "secondary_outcomes",
        "overall_status",
    }
    assert from_xml.model_dump(include=core) == from_v2.model_dump(include=core)
    # The XML carries MeSH terms without ids; the terms themselves agree.
    assert [m.term for m in from_xml.condition_mesh] == [m.term for m in from_v2.condition_mesh]
    assert sorted(from_xml.location_countries) == sorted(from_v2.location_countries)


def test_whole_corpus_reads_without_rejects(corpus_store) -> None:
    _, summary = corpus_store
    assert summary.rejections == []
