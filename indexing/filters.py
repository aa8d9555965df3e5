"""Filters on trial facets, shared by related lists and search."""

from __future__ import annotations

from dataclasses import dataclass

from indexing.catalog import CatalogEntry


@dataclass(frozen=True)
class TrialFilters:
    """Conditions every hit must meet; unset fields filter nothing."""

    statuses: frozenset[str] = frozenset()
    phases: frozenset[str] = frozenset()
    study_types: frozenset[str] = frozenset()
    sex: str | None = None  # FEMALE or MALE: trials open to that sex (ALL included)
    age: float | None = None  # years: trials whose age range includes it
    condition: str | None = None  # text in a condition or condition MeSH term (case-insensitive)
    intervention: str | None = None  # text in an intervention name (case-insensitive)
    start_from: str | None = None  # partial date: trials starting on or after it
    start_to: str | None = None  # partial date: trials starting on or before it

    def __bool__(self) -> bool:
        return any(getattr(self, f) not in (None, frozenset()) for f in self.__dataclass_fields__)

    def accepts(self, e: CatalogEntry) -> bool:
        if self.statuses and e.overall_status not in self.statuses:
            return False
        if self.phases and not self.phases.intersection(e.phases):
            return False
        if self.study_types and e.study_type not in self.study_types:
            return False
        if self.sex and e.sex not in (None, "ALL", self.sex):
            return False
        if self.age is not None:
            if e.minimum_age_years is not None and self.age < e.minimum_age_years:
                return False
            if e.maximum_age_years is not None and self.age > e.maximum_age_years:
                return False
        if self.condition and not _contains(e.conditions + e.mesh_terms, self.condition):
            return False
        if self.intervention and not _contains(e.interventions, self.intervention):
            return False
        if self.start_from or self.start_to:
            if not e.start_date:
                return False
            if self.start_from and e.start_date[: len(self.start_from)] < self.start_from:
                return False
            if self.start_to and e.start_date[: len(self.start_to)] > self.start_to:
                return False
        return True


def _contains(values: list[str], needle: str) -> bool:
    needle = needle.casefold()
    return any(needle in v.casefold() for v in values)
