"""Studies stream out of every JSON shape, across chunk boundaries."""

import io
import json

import pytest

from indexing.readers import json_stream
from indexing.readers.json_stream import JsonShapeError, iter_json_studies


@pytest.fixture(autouse=True)
def tiny_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seven-byte reads put chunk boundaries inside keys, strings, numbers and multi-byte characters."""
    monkeypatch.setattr(json_stream, "_CHUNK", 7)


def studies(payload: str | bytes) -> list:
    data = payload.encode() if isinstance(payload, str) else payload
    return list(iter_json_studies(io.BytesIO(data)))


STUDY = {"protocolSection": {"identificationModule": {"nctId": "NCT00000001", "briefTitle": "Ä trial ≥ 3"}}, "n": 12345}


def test_array_page_single_object_and_json_lines() -> None:
    assert studies(json.dumps([STUDY, STUDY])) == [STUDY, STUDY]
    assert studies(json.dumps({"studies": [STUDY], "nextPageToken": "abc"})) == [STUDY]
    assert studies(json.dumps({"nextPageToken": None, "studies": [STUDY, STUDY]})) == [STUDY, STUDY]
    assert studies(json.dumps(STUDY)) == [STUDY]
    assert studies(json.dumps(STUDY) + "\n" + json.dumps(STUDY) + "\n") == [STUDY, STUDY]
    assert studies("\ufeff  [ ]  ") == []
    assert studies(json.dumps({"studies": []})) == []


def test_malformed_json_names_the_line() -> None:
    with pytest.raises(JsonShapeError, match=r"malformed JSON at line 3"):
        studies('[\n{"a": 1},\n{"a": }\n]')


def test_truncated_array_is_malformed() -> None:
    gen = iter_json_studies(io.BytesIO(json.dumps([STUDY, STUDY])[:-30].encode()))
    assert next(gen) == STUDY
    with pytest.raises(JsonShapeError, match="malformed JSON"):
        next(gen)


def test_invalid_utf8_names_the_byte_offset() -> None:
    with pytest.raises(JsonShapeError, match=r"not valid UTF-8: byte 0xff at offset 10"):
        studies(b'[{"a": "xy\xff"}]')


def test_empty_input() -> None:
    with pytest.raises(JsonShapeError, match="empty file"):
        studies("   \n")
