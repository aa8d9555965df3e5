"""Vectors stored by (model id, hash of the exact text), so a rebuild embeds only text that changed."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (
    model_id  TEXT NOT NULL,
    text_hash BLOB NOT NULL,
    vector    BLOB NOT NULL,
    PRIMARY KEY (model_id, text_hash)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS token_counts (
    model_id  TEXT NOT NULL,
    text_hash BLOB NOT NULL,
    tokens    INTEGER NOT NULL,
    PRIMARY KEY (model_id, text_hash)
) WITHOUT ROWID;
"""


def text_key(text: str) -> bytes:
    """16 bytes of SHA-256: collisions are not a practical concern at registry scale."""
    return hashlib.sha256(text.encode("utf-8")).digest()[:16]


class EmbeddingCache:
    """A SQLite file of float32 vectors; safe to delete at any time (it only costs re-embedding)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        if path is None:
            self._conn = sqlite3.connect(":memory:", check_same_thread=False)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(path, check_same_thread=False)
            self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.executescript(_SCHEMA)

    def _rows(self, table: str, column: str, model_id: str, keys: Sequence[bytes]) -> Iterator[tuple[bytes, Any]]:
        """(text hash, value) rows of `table` for the keys present, in chunks under SQLite's parameter limit."""
        unique = list(dict.fromkeys(keys))
        for start in range(0, len(unique), 900):
            chunk = unique[start : start + 900]
            yield from self._conn.execute(
                f"SELECT text_hash, {column} FROM {table} WHERE model_id = ? AND text_hash IN ({','.join('?' * len(chunk))})",
                [model_id, *chunk],
            )

    def get_many(self, model_id: str, keys: Sequence[bytes], dim: int) -> dict[bytes, np.ndarray]:
        """The cached vectors among `keys`."""
        found: dict[bytes, np.ndarray] = {}
        for key, blob in self._rows("vectors", "vector", model_id, keys):
            vector = np.frombuffer(blob, dtype=np.float32)
            if vector.shape == (dim,):  # a vector of another width is stale: embed again
                found[key] = vector
        return found

    def put_many(self, model_id: str, keys: Sequence[bytes], vectors: np.ndarray) -> None:
        """Store vectors in one transaction."""
        with self._conn:
            self._conn.executemany(
                "INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)",
                [
                    (model_id, key, np.asarray(v, dtype=np.float32).tobytes())
                    for key, v in zip(keys, vectors, strict=True)
                ],
            )

    def get_token_counts(self, model_id: str, keys: Sequence[bytes]) -> dict[bytes, int]:
        """Cached token counts of units: a rebuild packs windows without running the tokenizer again."""
        return dict(self._rows("token_counts", "tokens", model_id, keys))

    def put_token_counts(self, model_id: str, counts: dict[bytes, int]) -> None:
        with self._conn:
            self._conn.executemany(
                "INSERT OR REPLACE INTO token_counts VALUES (?, ?, ?)", [(model_id, k, n) for k, n in counts.items()]
            )

    def count(self, model_id: str | None = None) -> int:
        if model_id is None:
            return int(self._conn.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])
        return int(self._conn.execute("SELECT COUNT(*) FROM vectors WHERE model_id = ?", (model_id,)).fetchone()[0])

    def close(self) -> None:
        self._conn.close()
