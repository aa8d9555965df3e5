"""Read registry files into the trial store, in batches, with a tally of what happened."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from indexing.readers import Rejection, Source, SourceNotFound, expand_sources, read_source
from indexing.readers.sources import SourceOpener, skipped_documents
from indexing.store import Outcome, TrialStore, UpsertResult
from models import Trial

BATCH_SIZE = 500


@dataclass
class IngestSummary:
    """What one ingest run read and did."""

    read: int = 0
    outcomes: Counter[Outcome] = field(default_factory=Counter)
    rejections: list[Rejection] = field(default_factory=list)
    superseded: list[str] = field(default_factory=list)  # one readable line per older version skipped
    read_per_path: Counter[str] = field(default_factory=Counter)  # per file (a zip counts as one)
    skipped_documents: list[Path] = field(default_factory=list)
    files: int = 0
    seconds: float = 0.0

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    @property
    def inserted(self) -> int:
        return self.outcomes[Outcome.INSERTED]

    @property
    def updated(self) -> int:
        return self.outcomes[Outcome.UPDATED]

    @property
    def unchanged(self) -> int:
        """Records that left the store as it was, older versions of stored trials included."""
        return self.outcomes[Outcome.UNCHANGED] + self.outcomes[Outcome.SUPERSEDED]


@dataclass
class IngestProgress:
    """Hooks for a progress display; all optional so the library stays silent by default."""

    on_start: Callable[[int], None] = lambda total_files: None
    on_file_done: Callable[[int], None] = lambda trials_so_far: None
    on_rejection: Callable[[Rejection], None] = lambda rejection: None
    on_superseded: Callable[[str], None] = lambda line: None


def _plan(paths: Iterable[Path], summary: IngestSummary) -> list[tuple[Path, Source]]:
    planned: list[tuple[Path, Source]] = []
    for path in paths:
        try:
            planned.extend((path, source) for source in expand_sources(path))
        except SourceNotFound:
            summary.rejections.append(Rejection(str(path), "no such file or directory"))
            continue
        summary.skipped_documents.extend(skipped_documents(path))
    return planned


def ingest(
    paths: Iterable[Path],
    store: TrialStore,
    progress: IngestProgress | None = None,
    batch_size: int = BATCH_SIZE,
) -> IngestSummary:
    """Read every trial under `paths` into `store`; unreadable parts are tallied, never fatal."""
    progress = progress or IngestProgress()
    summary = IngestSummary()
    started = time.perf_counter()
    planned = _plan(paths, summary)
    for rejection in summary.rejections:
        progress.on_rejection(rejection)
    summary.files = len(planned)
    progress.on_start(len(planned))
    batch: list[Trial] = []

    def flush() -> None:
        for trial, result in zip(batch, store.upsert(batch), strict=True):
            summary.outcomes[result.outcome] += 1
            if result.outcome is Outcome.SUPERSEDED:
                line = _superseded_line(trial, result)
                summary.superseded.append(line)
                progress.on_superseded(line)
        batch.clear()

    with SourceOpener() as opener:
        for _path, source in planned:
            for item in read_source(source, opener):
                if isinstance(item, Rejection):
                    summary.rejections.append(item)
                    progress.on_rejection(item)
                    continue
                summary.read += 1
                summary.read_per_path[str(source.path)] += 1
                batch.append(item)
                if len(batch) >= batch_size:
                    flush()
            progress.on_file_done(summary.read)
    flush()
    summary.seconds = time.perf_counter() - started
    return summary


def _superseded_line(trial: Trial, result: UpsertResult) -> str:
    this = f"updated {trial.dates.last_update_posted or 'on an unknown date'}, registry date "
    this += trial.provenance.registry_date or "unknown"
    where = f"{trial.provenance.source_file} [{trial.nct_id}]"
    return f"{where}: kept the stored version ({result.kept_version}); this one ({this}) is older"
