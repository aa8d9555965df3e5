"""Pack text units into windows the encoder reads whole, instead of letting it truncate silently."""

from __future__ import annotations

from collections.abc import Sequence


def _split_long(unit: str, tokens: int, max_tokens: int) -> list[str]:
    """A unit longer than a window, cut by words into near-equal slices that each fit."""
    words = unit.split()
    pieces = -(-tokens // max_tokens)  # ceiling division
    per_piece = max(1, -(-len(words) // pieces))
    return [" ".join(words[i : i + per_piece]) for i in range(0, len(words), per_piece)]


def pack_windows(units: Sequence[str], token_counts: Sequence[int], max_tokens: int) -> list[str]:
    """Greedy packing in reading order: each window holds whole units up to `max_tokens` tokens.

    A unit that alone exceeds the window is cut into word slices; ordering is kept so a window
    reads as contiguous text.
    """
    windows: list[str] = []
    current: list[str] = []
    used = 0
    for unit, tokens in zip(units, token_counts, strict=True):
        if tokens > max_tokens:
            if current:
                windows.append(" ".join(current))
                current, used = [], 0
            windows.extend(_split_long(unit, tokens, max_tokens))
            continue
        if current and used + tokens > max_tokens:
            windows.append(" ".join(current))
            current, used = [], 0
        current.append(unit)
        used += tokens
    if current:
        windows.append(" ".join(current))
    return windows
