"""The TrialSim metrics exactly as Trial2Vec defines them, and clear errors for bad labels."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from indexing.evaluate import (
    EvalReport,
    Expectation,
    LabelsError,
    MissingTrials,
    SystemResult,
    check_expectation,
    load_trialsim_labels,
    rank_by_scores,
    ranking_metrics,
)

HEADER = (
    "group,target_trial,"
    + ",".join(f"rank_{k}" for k in range(1, 11))
    + ","
    + ",".join(f"label_{k}" for k in range(1, 11))
)


def test_metrics_on_a_hand_computed_ranking() -> None:
    m = ranking_metrics([0, 1, 0, 1, 0, 0, 0, 0, 0, 1])
    assert m["P@1"] == 0 and m["P@2"] == 0.5 and m["P@5"] == 0.4
    assert m["R@1"] == 0 and m["R@2"] == pytest.approx(1 / 3) and m["R@5"] == pytest.approx(2 / 3)
    dcg = 1 / math.log2(3) + 1 / math.log2(5)
    ideal = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert m["nDCG@5"] == pytest.approx(dcg / ideal)


def test_perfect_ranking_scores_one() -> None:
    m = ranking_metrics([1, 1, 0, 0, 0, 0, 0, 0, 0, 0])
    assert m["P@1"] == m["R@2"] == m["nDCG@5"] == 1.0


def test_ties_keep_the_published_order() -> None:
    assert rank_by_scores([0, 1, 0], [0.5, 0.5, 0.9]) == [0, 0, 1]


def test_labels_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "labels.csv"
    ids = [f"NCT{i:08d}" for i in range(11)]
    path.write_text(HEADER + "\n7," + ",".join(ids) + "," + ",".join(["1"] + ["0"] * 9) + "\n")
    [group] = load_trialsim_labels(path)
    assert group.target == ids[0] and group.candidates == tuple(ids[1:]) and group.labels[0] == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("a,b,c\n1,2,3\n", "expected columns group,target_trial,rank_1..rank_10"),
        (HEADER + "\n", "holds no labelled groups"),
        (
            HEADER + "\n1,NCT1," + ",".join(["NCT00000001"] * 10) + "," + ",".join(["0"] * 10) + "\n",
            "malformed NCT IDs",
        ),
        (
            HEADER + "\n1,NCT00000001," + ",".join(["NCT00000001"] * 10) + "," + ",".join(["2"] * 10) + "\n",
            "labels not 0/1",
        ),
    ],
)
def test_bad_labels_files_name_the_problem(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "labels.csv"
    path.write_text(content)
    with pytest.raises(LabelsError, match=message):
        load_trialsim_labels(path)


def test_missing_labels_file(tmp_path: Path) -> None:
    with pytest.raises(LabelsError, match="cannot read labels"):
        load_trialsim_labels(tmp_path / "absent.csv")


def test_missing_trials_error_names_them() -> None:
    assert "NCT00000002, NCT00000009" in str(MissingTrials(["NCT00000009", "NCT00000002"]))


def test_expectations_fail_when_the_default_drops() -> None:
    report = EvalReport(16, [SystemResult("hybrid", {"nDCG@5": 0.90, "P@1": 1.0}, True)])
    expectation = Expectation("sha", "hybrid", {"nDCG@5": 0.93, "P@1": 1.0}, tolerance=0.02)
    [failure] = check_expectation(report, expectation)
    assert "nDCG@5 = 0.9000 is below the expected 0.9300 - 0.02" in failure
    assert check_expectation(report, Expectation("sha", "hybrid", {"nDCG@5": 0.915}, 0.02)) == []
