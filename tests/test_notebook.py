"""The evaluation notebook runs end to end on a small build, so it cannot rot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from indexing.build import BuildConfig, build_index
from indexing.embedding_cache import EmbeddingCache
from indexing.store import TrialStore
from models.encoders import HashingEncoder

REPO = Path(__file__).resolve().parent.parent


def test_notebook_executes_and_writes_its_figures(corpus_store, tmp_path: Path) -> None:
    corpus, _ = corpus_store
    small = TrialStore(tmp_path / "small.sqlite")
    small.upsert(corpus.get_many(sorted(corpus.content_hashes())[:200]).values())
    build_index(small, HashingEncoder(), EmbeddingCache(None), tmp_path / "builds", BuildConfig(related_k=10))
    env = {
        **os.environ,
        "TRIALS_BUILDS_DIR": str(tmp_path / "builds"),
        "NOTEBOOK_FIGURES": str(tmp_path / "figures"),
        "NOTEBOOK_EVAL_JSON": str(REPO / "data" / "benchmarks" / "trialsim.json"),
    }
    done = subprocess.run(
        [sys.executable, "scripts/run_notebook.py", "--output", str(tmp_path / "executed.ipynb")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "figures" / "trialsim-systems.png").stat().st_size > 10_000
    assert (tmp_path / "figures" / "corpus-map.png").stat().st_size > 10_000
    assert "200 trials, 200 plotted" in (tmp_path / "executed.ipynb").read_text()
