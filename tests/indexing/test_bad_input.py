"""Each kind of bad input gets one readable line naming the file and the reason; the batch goes on."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexing.store import TrialStore
from trials_cli.main import cli

GOOD_ID = "NCT03934567"


@pytest.fixture(scope="module")
def good_study(corpus: Path) -> dict:
    return json.loads((corpus / "ctgov-v2" / "studies" / f"{GOOD_ID}.json").read_text())


def with_id(study: dict, nct_id: object) -> dict:
    copy = json.loads(json.dumps(study))
    if nct_id is None:
        del copy["protocolSection"]["identificationModule"]["nctId"]
    else:
        copy["protocolSection"]["identificationModule"]["nctId"] = nct_id
    return copy


def ingest(tmp_path: Path, good_study: dict, *bad: Path) -> tuple[int, str, TrialStore]:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(good_study))
    db = tmp_path / "store.sqlite"
    result = CliRunner().invoke(cli, ["ingest", str(good), *map(str, bad), "--db", str(db)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output + result.stderr
    return result.exit_code, result.stderr, TrialStore(db, read_only=True)


def rejected_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("rejected: ")]


def write(path: Path, data: bytes | str) -> Path:
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


CASES = {
    "malformed-json": (
        lambda d, s: write(d / "broken.json", '{"studies": [{"protocolSection": }]}'),
        r"broken\.json: malformed JSON at line 1, column \d+",
    ),
    "malformed-xml": (
        lambda d, s: write(d / "broken.xml", "<clinical_study><id_info></clinical_study>"),
        r"broken\.xml: malformed XML at line 1, column \d+: mismatched tag",
    ),
    "unknown-format": (lambda d, s: write(d / "notes.dat", "just some words"), r"notes\.dat: unknown format"),
    "empty-file": (lambda d, s: write(d / "empty.json", ""), r"empty\.json: empty file"),
    "no-nct-id": (
        lambda d, s: write(d / "noid.json", json.dumps([with_id(s, None)])),
        r"noid\.json \[study #1\]: record has no NCT ID",
    ),
    "bad-nct-id": (
        lambda d, s: write(d / "badid.json", json.dumps([with_id(s, "NCT123")])),
        r"badid\.json \[NCT123\]: NCT ID 'NCT123' is not 'NCT' followed by 8 digits",
    ),
    "non-utf8": (
        lambda d, s: write(
            d / "latin1.xml", "<clinical_study><brief_title>Caf\xe9</brief_title></clinical_study>".encode("latin-1")
        ),
        r"latin1\.xml: not valid UTF-8: byte 0xe9 at offset \d+",
    ),
    "wrong-xml-root": (
        lambda d, s: write(d / "page.xml", "<html><body>Not found</body></html>"),
        r"page\.xml: not a ClinicalTrials.gov record: XML root is <html>",
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_one_line_and_the_rest_goes_on(tmp_path: Path, good_study: dict, case: str) -> None:
    make, pattern = CASES[case]
    bad = make(tmp_path, good_study)
    code, stderr, store = ingest(tmp_path, good_study, bad)
    lines = rejected_lines(stderr)
    assert len(lines) == 1, stderr
    assert re.search(pattern, lines[0]), lines[0]
    assert str(bad) in lines[0]
    assert code == 1
    assert store.get(GOOD_ID) is not None


def test_zip_with_a_non_trial_member(tmp_path: Path, good_study: dict) -> None:
    archive = tmp_path / "bulk.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("NCT00000001.json", json.dumps(with_id(good_study, "NCT00000001")))
        z.writestr("notes/readme.bin", b"\x00\x01binary stuff")
    code, stderr, store = ingest(tmp_path, good_study, archive)
    [line] = rejected_lines(stderr)
    assert f"{archive}!notes/readme.bin: unknown format" in line
    assert code == 1
    assert store.get("NCT00000001") is not None and store.get(GOOD_ID) is not None


def test_the_same_trial_twice_with_different_update_dates_keeps_the_newest(tmp_path: Path, good_study: dict) -> None:
    older = json.loads(json.dumps(good_study))
    older["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2019-01-01"
    older["protocolSection"]["identificationModule"]["briefTitle"] = "Old title"
    old_file = write(tmp_path / "older.json", json.dumps(older))
    code, stderr, store = ingest(tmp_path, good_study, old_file)
    assert code == 0, "an older version is not an error"
    assert rejected_lines(stderr) == []
    [line] = [x for x in stderr.splitlines() if x.startswith("older version skipped: ")]
    assert f"{old_file} [{GOOD_ID}]" in line and "2025-04-10" in line and "2019-01-01" in line
    assert store.get(GOOD_ID).brief_title != "Old title"


def test_a_path_that_does_not_exist(tmp_path: Path, good_study: dict) -> None:
    missing = tmp_path / "nowhere" / "studies.json"
    code, stderr, store = ingest(tmp_path, good_study, missing)
    assert rejected_lines(stderr) == [f"rejected: {missing}: no such file or directory"]
    assert code == 1
    assert store.get(GOOD_ID) is not None


def test_a_clean_batch_exits_zero(tmp_path: Path, good_study: dict) -> None:
    code, stderr, store = ingest(tmp_path, good_study)
    assert code == 0 and rejected_lines(stderr) == []
    assert store.count() == 1
