"""The embedded trial store: one SQLite file, upserts that keep the newest version of each trial."""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from models import Trial

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS trials (
    nct_id             TEXT PRIMARY KEY,
    last_update_posted TEXT,
    registry_date      TEXT,
    content_hash       TEXT NOT NULL,
    source_format      TEXT NOT NULL,
    source_file        TEXT NOT NULL,
    overall_status     TEXT NOT NULL,
    phase              TEXT NOT NULL,
    study_type         TEXT,
    record             TEXT NOT NULL,
    stored_at          TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class StoreError(RuntimeError):
    """The store is missing, unreadable or from an incompatible version."""


class Outcome(StrEnum):
    """What an upsert did with one record."""

    INSERTED = "inserted"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SUPERSEDED = "superseded"  # an older version than the one already stored


@dataclass(frozen=True, slots=True)
class UpsertResult:
    """The outcome for one record, with the version it lost to when it was superseded."""

    nct_id: str
    outcome: Outcome
    kept_version: str | None = None


@dataclass
class StoreStats:
    """Counts of stored trials, overall and by facet."""

    total: int
    by_format: Counter[str] = field(default_factory=Counter)
    by_status: Counter[str] = field(default_factory=Counter)
    by_phase: Counter[str] = field(default_factory=Counter)
    by_study_type: Counter[str] = field(default_factory=Counter)


def _version(last_update: str | None, registry_date: str | None) -> tuple[str, str]:
    """Which of two versions is newer: last update first, then the registry's processing date."""
    return (last_update or "", registry_date or "")


def _describe(version: tuple[str, str]) -> str:
    return f"updated {version[0] or 'on an unknown date'}, registry date {version[1] or 'unknown'}"


class TrialStore:
    """Trials by NCT ID in a single SQLite file; writes are transactions of whole records."""

    def __init__(self, path: Path, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        if read_only:
            if not path.is_file():
                raise StoreError(f"no trial store at {path}; run `trials ingest` first")
            uri = f"file:{path.resolve()}?mode=ro"
            self._conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self._conn.execute("PRAGMA journal_mode=WAL")  # readers keep reading while a batch is written
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.executescript(_SCHEMA)
            self._conn.execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )
        self._check_schema()

    def _check_schema(self) -> None:
        try:
            row = self._conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path} is not a trial store: {error}") from None
        if row is None or int(row[0]) != SCHEMA_VERSION:
            found = row[0] if row else "none"
            raise StoreError(f"{self.path} has schema version {found}; this version reads {SCHEMA_VERSION}")

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> TrialStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def upsert(self, trials: Iterable[Trial]) -> list[UpsertResult]:
        """Write a batch in one transaction: all of it lands, or none of it (on any error)."""
        batch = list(trials)
        ids = list({t.nct_id for t in batch})
        stored: dict[str, tuple[tuple[str, str], str]] = {}
        for start in range(0, len(ids), 500):  # stay under SQLite's bound-parameter limit
            chunk = ids[start : start + 500]
            rows = self._conn.execute(
                f"SELECT nct_id, last_update_posted, registry_date, content_hash FROM trials "
                f"WHERE nct_id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            stored.update({nct: (_version(last, reg), digest) for nct, last, reg, digest in rows})
        results: list[UpsertResult] = []
        now = datetime.now(UTC).isoformat(timespec="seconds")
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            for trial in batch:
                version = _version(trial.dates.last_update_posted, trial.provenance.registry_date)
                digest = trial.content_hash()
                outcome = self._decide(stored.get(trial.nct_id), version, digest)
                if outcome in (Outcome.INSERTED, Outcome.UPDATED):
                    self._write(trial, digest, now)
                    stored[trial.nct_id] = (version, digest)
                kept = _describe(stored[trial.nct_id][0]) if outcome is Outcome.SUPERSEDED else None
                results.append(UpsertResult(trial.nct_id, outcome, kept))
            self._conn.execute("COMMIT")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        return results

    @staticmethod
    def _decide(stored: tuple[tuple[str, str], str] | None, version: tuple[str, str], digest: str) -> Outcome:
        if stored is None:
            return Outcome.INSERTED
        stored_version, stored_digest = stored
        if version < stored_version:
            return Outcome.SUPERSEDED
        return Outcome.UNCHANGED if digest == stored_digest else Outcome.UPDATED

    def _write(self, trial: Trial, digest: str, now: str) -> None:
        self._conn.execute(
            "INSERT OR REPLACE INTO trials VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                trial.nct_id,
                trial.dates.last_update_posted,
                trial.provenance.registry_date,
                digest,
                trial.provenance.format.value,
                trial.provenance.source_file,
                trial.overall_status.value,
                trial.phase_label,
                trial.study_type.value if trial.study_type else None,
                trial.model_dump_json(),
                now,
            ),
        )

    def get(self, nct_id: str) -> Trial | None:
        """The stored record, or None."""
        row = self._conn.execute("SELECT record FROM trials WHERE nct_id = ?", (nct_id,)).fetchone()
        return Trial.model_validate_json(row[0]) if row else None

    def get_many(self, nct_ids: Iterable[str]) -> dict[str, Trial]:
        """Stored records for the IDs that exist."""
        ids = list(dict.fromkeys(nct_ids))
        found: dict[str, Trial] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = self._conn.execute(
                f"SELECT nct_id, record FROM trials WHERE nct_id IN ({','.join('?' * len(chunk))})", chunk
            )
            found.update({nct: Trial.model_validate_json(record) for nct, record in rows})
        return found

    def iter_trials(self) -> Iterator[Trial]:
        """Every stored trial in NCT ID order, streamed."""
        for (record,) in self._conn.execute("SELECT record FROM trials ORDER BY nct_id"):
            yield Trial.model_validate_json(record)

    def content_hashes(self) -> dict[str, str]:
        """NCT ID -> content hash, to tell what changed since a build."""
        return dict(self._conn.execute("SELECT nct_id, content_hash FROM trials"))

    def count(self) -> int:
        """Number of stored trials."""
        return int(self._conn.execute("SELECT COUNT(*) FROM trials").fetchone()[0])

    def stats(self) -> StoreStats:
        """Counts by source format, status, phase and study type."""

        def by(column: str) -> Counter[str]:
            rows = self._conn.execute(f"SELECT COALESCE({column}, 'NONE'), COUNT(*) FROM trials GROUP BY 1")
            return Counter(dict(rows))

        return StoreStats(
            total=self.count(),
            by_format=by("source_format"),
            by_status=by("overall_status"),
            by_phase=by("phase"),
            by_study_type=by("study_type"),
        )
