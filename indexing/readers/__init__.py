"""Read ClinicalTrials.gov records from any supported format, detected from the content."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from indexing.readers.ctgov_v2 import trial_from_v2
from indexing.readers.ctgov_xml import parse_xml_bytes, trial_from_xml
from indexing.readers.errors import RecordError, Rejection
from indexing.readers.json_stream import JsonShapeError, iter_json_studies
from indexing.readers.sources import ZIP_MAGIC, Source, SourceNotFound, SourceOpener, expand_sources
from models import Trial

__all__ = [
    "Rejection",
    "Source",
    "SourceNotFound",
    "expand_sources",
    "read_source",
    "read_trials",
]

ReadResult = Trial | Rejection


def _head(stream: IO[bytes]) -> bytes:
    """The first meaningful bytes (after a BOM and whitespace), without consuming them."""
    head = stream.peek(512)[:512]  # type: ignore[attr-defined]
    return head.removeprefix(b"\xef\xbb\xbf").lstrip()


def _study_label(study: Any, index: int) -> str:
    nct_id = (
        study.get("protocolSection", {}).get("identificationModule", {}).get("nctId")
        if isinstance(study, dict)
        else None
    )
    return nct_id if isinstance(nct_id, str) and nct_id else f"study #{index}"


def _read_json(stream: IO[bytes], name: str) -> Iterator[ReadResult]:
    index = 0
    try:
        for index, study in enumerate(iter_json_studies(stream), start=1):
            try:
                yield trial_from_v2(study, name)
            except RecordError as error:
                yield Rejection(name, str(error), _study_label(study, index))
    except JsonShapeError as error:
        after = f" (after {index} studies)" if index else ""
        yield Rejection(name, f"{error}{after}")


def _read_xml(stream: IO[bytes], name: str) -> Iterator[ReadResult]:
    try:
        yield trial_from_xml(parse_xml_bytes(stream.read()), name)
    except RecordError as error:
        yield Rejection(name, str(error))


def read_source(source: Source, opener: SourceOpener) -> Iterator[ReadResult]:
    """Every trial in one source, or a Rejection for each part that cannot be read."""
    try:
        with opener.open(source) as raw:
            stream = raw if hasattr(raw, "peek") else io.BufferedReader(raw)  # type: ignore[arg-type]
            head = _head(stream)
            if not head:
                yield Rejection(source.name, "empty file")
            elif head.startswith(ZIP_MAGIC):
                yield Rejection(source.name, "a zip inside a zip is not read; unpack the outer zip first")
            elif head[:1] in (b"{", b"["):
                yield from _read_json(stream, source.name)
            elif head[:1] == b"<":
                yield from _read_xml(stream, source.name)
            else:
                yield Rejection(
                    source.name, "unknown format: not ClinicalTrials.gov JSON (API v2), legacy XML or a zip of them"
                )
    except zipfile.BadZipFile as error:
        yield Rejection(source.name, f"corrupt zip: {error}")
    except OSError as error:
        yield Rejection(source.name, f"cannot read: {error.strerror or error}")


def read_trials(paths: Iterable[Path]) -> Iterator[ReadResult]:
    """Every trial under the given files, directories and zips, streamed one at a time."""
    with SourceOpener() as opener:
        for path in paths:
            try:
                sources = expand_sources(path)
            except SourceNotFound:
                yield Rejection(str(path), "no such file or directory")
                continue
            for source in sources:
                yield from read_source(source, opener)
