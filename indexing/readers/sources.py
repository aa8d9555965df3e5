"""Input paths to readable sources: plain files, every file under a directory, every member of a zip."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

ZIP_MAGIC = b"PK\x03\x04"
# Registry zips carry a table of contents beside the studies; it is not a record, nor an error.
_MANIFEST_NAMES = {"contents.txt"}
# Inside a directory, files that are plainly documentation are passed over (and counted);
# a file named on the command line is always read, whatever its name.
DOC_SUFFIXES = {".md", ".markdown", ".rst", ".yaml", ".yml", ".pdf", ".csv", ".tsv", ".py", ".html", ".htm"}


@dataclass(frozen=True)
class Source:
    """One readable unit: a file on disk or a member of a zip (`archive.zip!member`)."""

    path: Path
    member: str | None = None

    @property
    def name(self) -> str:
        return f"{self.path}!{self.member}" if self.member else str(self.path)


class SourceOpener(AbstractContextManager["SourceOpener"]):
    """Opens sources, keeping the current zip open: reopening it per member would reread its directory."""

    def __init__(self) -> None:
        self._archive: zipfile.ZipFile | None = None
        self._archive_path: Path | None = None

    def open(self, source: Source) -> IO[bytes]:
        if source.member is None:
            return source.path.open("rb")
        if self._archive_path != source.path:
            self.close()
            self._archive = zipfile.ZipFile(source.path)
            self._archive_path = source.path
        assert self._archive is not None
        return self._archive.open(source.member)

    def close(self) -> None:
        if self._archive is not None:
            self._archive.close()
        self._archive, self._archive_path = None, None

    def __exit__(self, *exc: object) -> None:
        self.close()


class SourceNotFound(FileNotFoundError):
    """An input path that does not exist."""


def is_zip(path: Path) -> bool:
    """True when the file starts with the zip signature (the extension is not trusted)."""
    with path.open("rb") as handle:
        return handle.read(4) == ZIP_MAGIC


def _zip_members(path: Path) -> list[Source]:
    with zipfile.ZipFile(path) as archive:
        return [
            Source(path, info.filename)
            for info in archive.infolist()
            if not info.is_dir() and os.path.basename(info.filename).lower() not in _MANIFEST_NAMES
        ]


def _files_under(directory: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() not in DOC_SUFFIXES:
                yield Path(root) / name


def skipped_documents(path: Path) -> list[Path]:
    """Documentation files a directory walk passes over, so a summary can say so."""
    if not path.is_dir():
        return []
    return [
        Path(root) / name
        for root, dirs, files in os.walk(path)
        for name in files
        if not name.startswith(".") and Path(name).suffix.lower() in DOC_SUFFIXES
    ]


def expand_sources(path: Path) -> list[Source]:
    """The sources under one input path, in a stable order; raises SourceNotFound."""
    if not path.exists():
        raise SourceNotFound(f"{path}: no such file or directory")
    files = list(_files_under(path)) if path.is_dir() else [path]
    sources: list[Source] = []
    for file in files:
        try:
            zipped = is_zip(file)
        except OSError:
            zipped = False  # unreadable files are reported when they are read
        if zipped:
            try:
                sources.extend(_zip_members(file))
            except zipfile.BadZipFile:
                sources.append(Source(file))  # reported as a corrupt zip when read
        else:
            sources.append(Source(file))
    return sources
