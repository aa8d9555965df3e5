"""The slice of each record a build keeps beside its vectors: enough to filter and explain without the store."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from pathlib import Path

from models.trial import Trial


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """What a related list shows and filters on, for one trial."""

    nct_id: str
    title: str
    conditions: list[str]
    mesh_terms: list[str]
    mesh_ancestors: list[str]
    interventions: list[str]
    intervention_types: list[str]
    overall_status: str
    phases: list[str]
    study_type: str | None
    sex: str | None
    minimum_age_years: float | None
    maximum_age_years: float | None
    start_date: str | None

    @classmethod
    def from_trial(cls, trial: Trial) -> CatalogEntry:
        e = trial.eligibility
        return cls(
            nct_id=trial.nct_id,
            title=trial.brief_title,
            conditions=trial.conditions,
            mesh_terms=[m.term for m in trial.condition_mesh],
            mesh_ancestors=[m.term for m in trial.condition_mesh_ancestors],
            interventions=[i.name for i in trial.interventions],
            intervention_types=sorted({i.type for i in trial.interventions if i.type}),
            overall_status=trial.overall_status.value,
            phases=[p.value for p in trial.phases],
            study_type=trial.study_type.value if trial.study_type else None,
            sex=e.sex.value if e.sex else None,
            minimum_age_years=e.minimum_age_years,
            maximum_age_years=e.maximum_age_years,
            start_date=trial.dates.start,
        )


def write_catalog(entries: list[CatalogEntry], path: Path) -> None:
    """One JSON object a line, in index row order."""
    names = [f.name for f in fields(CatalogEntry)]  # plain getattr: asdict deep-copies every list
    with path.open("w", encoding="utf-8") as out:
        for entry in entries:
            out.write(json.dumps({name: getattr(entry, name) for name in names}, ensure_ascii=False) + "\n")


def read_catalog(path: Path) -> list[CatalogEntry]:
    with path.open(encoding="utf-8") as handle:
        return [CatalogEntry(**json.loads(line)) for line in handle]
