"""Why two trials are related, in words taken from the records themselves."""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexing.catalog import CatalogEntry

_MAX_ITEMS = 3
_WORD = re.compile(r"[a-z][a-z0-9-]{3,}")
# Words too common in condition names to say anything about relatedness.
_GENERIC = {"disease", "diseases", "disorder", "disorders", "syndrome", "chronic", "acute", "cancer", "type", "healthy"}


@dataclass(frozen=True, slots=True)
class ExplainView:
    """A catalog entry with its case-folded sets computed once, so explaining a list costs microseconds."""

    entry: CatalogEntry
    conditions: frozenset[str]
    mesh: frozenset[str]
    ancestors: frozenset[str]
    interventions: frozenset[str]
    types: frozenset[str]
    words: frozenset[str]

    @classmethod
    def of(cls, entry: CatalogEntry) -> ExplainView:
        def fold(values: list[str]) -> frozenset[str]:
            return frozenset(v.casefold() for v in values)

        words = {w for c in entry.conditions + entry.mesh_terms for w in _WORD.findall(c.casefold())} - _GENERIC
        return cls(
            entry,
            fold(entry.conditions),
            fold(entry.mesh_terms),
            fold(entry.mesh_ancestors),
            fold(entry.interventions),
            frozenset(entry.intervention_types),
            frozenset(words),
        )


def _shared(values: list[str], other: frozenset[str]) -> list[str]:
    """Values (in their own order and spelling) whose case-folded form `other` holds."""
    return list(dict.fromkeys(v for v in values if v.casefold() in other))


def _listing(values: list[str]) -> str:
    shown = "; ".join(values[:_MAX_ITEMS])
    return shown + (f" (+{len(values) - _MAX_ITEMS} more)" if len(values) > _MAX_ITEMS else "")


def _age_overlap(a: CatalogEntry, b: CatalogEntry) -> str | None:
    if a.minimum_age_years is None and a.maximum_age_years is None:
        return None
    if b.minimum_age_years is None and b.maximum_age_years is None:
        return None
    low = max(a.minimum_age_years or 0.0, b.minimum_age_years or 0.0)
    highs = [x for x in (a.maximum_age_years, b.maximum_age_years) if x is not None]
    high = min(highs) if highs else None
    if high is not None and high < low:
        return None
    if high is None:
        return f"both enrol ages {low:g} years and older"
    return f"overlapping ages {low:g} to {high:g} years"


def _similar_conditions(seed: ExplainView, hit: ExplainView) -> str | None:
    """`Lupus Nephritis` and `Systemic Lupus Erythematosus` share no name but share `lupus`."""
    words = seed.words & hit.words
    if not words:
        return None
    named = [c for c in hit.entry.conditions if words.intersection(_WORD.findall(c.casefold()))]
    return f"similar conditions: {_listing(named)}" if named else None


def explain(seed: CatalogEntry | ExplainView, hit: CatalogEntry | ExplainView) -> list[str]:
    """Short reasons, strongest first: shared conditions or MeSH terms (else similar conditions or broader
    MeSH areas), shared interventions (else the same intervention type), overlapping ages."""
    a = seed if isinstance(seed, ExplainView) else ExplainView.of(seed)
    b = hit if isinstance(hit, ExplainView) else ExplainView.of(hit)
    reasons: list[str] = []
    conditions = _shared(a.entry.conditions, b.conditions)
    if conditions:
        reasons.append(f"shared conditions: {_listing(conditions)}")
    named = {c.casefold() for c in conditions}
    mesh = [m for m in _shared(a.entry.mesh_terms, b.mesh) if m.casefold() not in named]
    if mesh:
        reasons.append(f"shared MeSH terms: {_listing(mesh)}")
    elif not conditions:
        similar = _similar_conditions(a, b)
        broader = _shared(a.entry.mesh_ancestors, b.ancestors)
        if similar:
            reasons.append(similar)
        elif broader:
            reasons.append(f"related condition areas: {_listing(broader)}")
    interventions = _shared(a.entry.interventions, b.interventions)
    if interventions:
        reasons.append(f"shared interventions: {_listing(interventions)}")
    types = [t for t in a.entry.intervention_types if t in b.types]
    if types and not interventions:
        reasons.append(f"same intervention type: {_listing([t.replace('_', ' ').lower() for t in types])}")
    ages = _age_overlap(a.entry, b.entry)
    if ages:
        reasons.append(ages)
    return reasons
