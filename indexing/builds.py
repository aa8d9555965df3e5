"""Build directories on disk: write under a temporary name, verify, publish by an atomic switch of `current`.

    builds/
      20261126T234500Z-1a2b3c4d/   manifest.json ids.json catalog.jsonl related.npz lexical.npz
                                   lexical-vocab.json {overall,condition,...}.faiss
      current -> 20261126T234500Z-1a2b3c4d

Opening a build checks every file against the sizes and SHA-256 sums in its manifest and the row
counts against each other, so a truncated or tampered build is refused, never served.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
CURRENT = "current"
FORMAT_VERSION = 1
_TMP_PREFIX = ".tmp-"


class BuildError(RuntimeError):
    """Base class for problems with builds on disk."""


class NoBuild(BuildError):
    """Nothing has been published yet."""


class CorruptBuild(BuildError):
    """A build whose files do not match its manifest."""


def new_build_id(fingerprint: str) -> str:
    """`<utc time>-<8 hex of the content fingerprint>`: sortable, and tells two builds apart."""
    return f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%fZ')}-{fingerprint[:8]}"


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def staging_dir(builds_dir: Path, build_id: str) -> Path:
    """A fresh directory to write a build into; invisible to readers until published."""
    path = builds_dir / f"{_TMP_PREFIX}{build_id}"
    path.mkdir(parents=True)
    return path


def write_manifest(build_dir: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """Record every file's size and checksum, then write manifest.json last."""
    files = {
        p.name: {"bytes": p.stat().st_size, "sha256": file_digest(p)}
        for p in sorted(build_dir.iterdir())
        if p.is_file() and p.name != MANIFEST
    }
    manifest = {**manifest, "format_version": FORMAT_VERSION, "files": files}
    tmp = build_dir / f"{MANIFEST}.partial"
    tmp.write_text(json.dumps(manifest, indent=2, sort_keys=False) + "\n")
    tmp.replace(build_dir / MANIFEST)
    return manifest


def read_verified_manifest(build_dir: Path, *, checksums: bool = True) -> dict[str, Any]:
    """The manifest of a build whose files all match it; raises CorruptBuild naming the first problem."""
    path = build_dir / MANIFEST
    if not path.is_file():
        raise CorruptBuild(f"build {build_dir} is incomplete: no {MANIFEST}")
    try:
        manifest = json.loads(path.read_text())
        files = manifest["files"]
    except (json.JSONDecodeError, KeyError, TypeError) as error:
        raise CorruptBuild(f"build {build_dir}: unreadable {MANIFEST} ({error})") from None
    if manifest.get("format_version") != FORMAT_VERSION:
        raise CorruptBuild(f"build {build_dir} has format {manifest.get('format_version')}; expected {FORMAT_VERSION}")
    for name, expected in files.items():
        file = build_dir / name
        if not file.is_file():
            raise CorruptBuild(f"build {build_dir} is incomplete: {name} is missing")
        if file.stat().st_size != expected["bytes"]:
            raise CorruptBuild(
                f"build {build_dir} is corrupt: {name} has {file.stat().st_size} bytes, manifest says {expected['bytes']}"
            )
        if checksums and file_digest(file) != expected["sha256"]:
            raise CorruptBuild(f"build {build_dir} is corrupt: {name} does not match its SHA-256 in the manifest")
    return manifest


def publish(staged: Path, builds_dir: Path, build_id: str) -> Path:
    """Move a verified build into place and point `current` at it in one atomic rename."""
    final = builds_dir / build_id
    staged.rename(final)
    link = builds_dir / f"{CURRENT}.{os.getpid()}.tmp"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(build_id)  # relative, so the builds directory can move as a whole
    link.replace(builds_dir / CURRENT)
    return final


def discard(staged: Path) -> None:
    """Remove a staged build that failed; it was never visible."""
    shutil.rmtree(staged, ignore_errors=True)


def current_build_dir(builds_dir: Path) -> Path:
    """The published build `current` points to; raises NoBuild when there is none."""
    link = builds_dir / CURRENT
    if not link.exists():
        raise NoBuild(f"no index build published in {builds_dir}; run `trials build` first")
    return link.resolve()


@dataclass(frozen=True)
class BuildSummary:
    """One published build, as `trials builds` would list it."""

    build_id: str
    path: Path
    count: int
    created_at: str
    current: bool


def list_builds(builds_dir: Path) -> list[BuildSummary]:
    """Published builds, newest first."""
    if not builds_dir.is_dir():
        return []
    current = (builds_dir / CURRENT).resolve() if (builds_dir / CURRENT).exists() else None
    out = []
    for path in sorted(builds_dir.iterdir(), reverse=True):
        if path.name.startswith((_TMP_PREFIX, CURRENT)) or not (path / MANIFEST).is_file():
            continue
        manifest = json.loads((path / MANIFEST).read_text())
        out.append(BuildSummary(path.name, path, manifest["count"], manifest["created_at"], path == current))
    return out
