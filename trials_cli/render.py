"""Plain-text views of records, counts and ingest summaries for the terminal."""

from __future__ import annotations

import textwrap
from collections import Counter
from pathlib import Path

from indexing.ingest import IngestSummary
from indexing.store import StoreStats
from models import Trial


def _age(years: float | None) -> str:
    if years is None:
        return "no limit"
    return f"{years:g} years" if years >= 1 else f"{years * 12:.3g} months"


def render_trial(trial: Trial) -> str:
    """A readable summary of one record (use --json for every field)."""
    e = trial.eligibility
    lines = [
        f"{trial.nct_id}  {trial.brief_title}",
        f"  status        {trial.overall_status}   phase {trial.phase_label}   type {trial.study_type or '-'}",
        f"  conditions    {'; '.join(trial.conditions) or '-'}",
        f"  MeSH          {'; '.join(m.term for m in trial.condition_mesh) or '-'}",
        "  interventions " + ("; ".join(f"{i.type or '?'}: {i.name}" for i in trial.interventions) or "-"),
        f"  eligibility   sex {e.sex or '-'}, ages {_age(e.minimum_age_years)} to {_age(e.maximum_age_years)}, "
        f"{len(e.inclusion)} inclusion / {len(e.exclusion)} exclusion criteria",
        f"  design        {trial.design.allocation or '-'} / {trial.design.intervention_model or '-'} / "
        f"masking {trial.design.masking or '-'} / {trial.design.primary_purpose or '-'}",
        f"  enrollment    {f'{trial.enrollment.count} ({trial.enrollment.type})' if trial.enrollment else '-'}",
        f"  dates         start {trial.dates.start or '-'}, completion {trial.dates.completion or '-'}, "
        f"last update {trial.dates.last_update_posted or '-'}",
        f"  sponsor       {trial.lead_sponsor.name if trial.lead_sponsor else '-'}",
        f"  results       {'yes' if trial.has_results else 'no'}",
        f"  source        {trial.provenance.format} {trial.provenance.source_file} "
        f"(registry date {trial.provenance.registry_date or 'unknown'})",
    ]
    if trial.brief_summary:
        lines += ["", textwrap.fill(trial.brief_summary, width=100, initial_indent="  ", subsequent_indent="  ")]
    return "\n".join(lines)


def _table(title: str, counts: Counter[str]) -> list[str]:
    rows = [f"{title}:"]
    rows += [f"  {key:<28} {value:>8,}" for key, value in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return rows


def render_stats(stats: StoreStats) -> str:
    """Counts by facet, largest first."""
    lines = [f"{stats.total:,} trials in the store", ""]
    for title, counts in (
        ("by source format", stats.by_format),
        ("by status", stats.by_status),
        ("by phase", stats.by_phase),
        ("by study type", stats.by_study_type),
    ):
        lines += [*_table(title, counts), ""]
    return "\n".join(lines).rstrip()


def render_summary(summary: IngestSummary, db: Path, stored: int) -> str:
    """The closing summary of an ingest run."""
    rate = summary.read / summary.seconds if summary.seconds else 0.0
    superseded = len(summary.superseded)
    lines = [
        f"read {summary.read:,} records from {summary.files:,} files "
        f"in {summary.seconds:.1f} s ({rate:,.0f} records/s)",
        f"  inserted   {summary.inserted:>8,}",
        f"  updated    {summary.updated:>8,}",
        f"  unchanged  {summary.unchanged:>8,}"
        + (f"   (of which {superseded:,} older versions of stored trials, skipped)" if superseded else ""),
        f"  rejected   {summary.rejected:>8,}",
    ]
    if summary.rejections:
        reasons = Counter(r.reason.split(":")[0] for r in summary.rejections)
        lines += [f"    {count:,} x {reason}" for reason, count in reasons.most_common()]
    if summary.skipped_documents:
        names = ", ".join(p.name for p in summary.skipped_documents[:4])
        more = "" if len(summary.skipped_documents) <= 4 else ", ..."
        lines.append(f"  passed over {len(summary.skipped_documents)} documentation files ({names}{more})")
    for path, count in sorted(summary.read_per_path.items()):
        lines.append(f"  {count:>8,}  {path}")
    lines.append(f"store {db} now holds {stored:,} trials")
    return "\n".join(lines)
