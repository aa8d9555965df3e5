"""The documented sample a quick demo builds from, when the whole corpus would take too long to embed."""

from __future__ import annotations

from collections.abc import Collection

SEED_TRIAL = "NCT03458156"  # the trial page this product started from (lupus nephritis, stem cells)


def quickstart_sample(nct_ids: Collection[str], size: int, always: tuple[str, ...] = (SEED_TRIAL,)) -> list[str]:
    """The `size` lowest NCT IDs plus the seed trial: deterministic, and a natural slice of the registry.

    In the shared corpus the lowest IDs are the NIH trials registered in 1999-2002, which hold most of
    its lupus trials, so the seed trial's related list is meaningful even on the sample.
    """
    chosen = sorted(nct_ids)[:size]
    chosen += [x for x in always if x in nct_ids and x not in chosen]
    return sorted(chosen)
