"""Full index build of the shared corpus, measured; writes docs/benchmarks/build.md and data/benchmarks/build.json.

Run: `python scripts/bench_build.py [--corpus DIR] [--sample N]` (the whole corpus takes ~25 minutes on
2 CPU cores). Measures, in one run: the build's wall time and peak RSS (a `trials build` child process,
its own RSS from the kernel), encoder throughput inside the build against the raw encoder on a sample
of the same windows, a rebuild with nothing changed, the build's size on disk, related-lookup latency
in process, and HNSW recall against exact search on the build's own vectors.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
TRIALS = Path(sys.executable).parent / "trials"


def timed_child(args: list[str]) -> tuple[float, float, str]:
    """Run `trials ARGS`; wall seconds, peak RSS (MB) of that process, stdout."""
    started = time.perf_counter()
    proc = subprocess.Popen([str(TRIALS), *args], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"trials {' '.join(args)} failed:\n{out}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024, out


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", type=Path, default=Path(os.environ.get("TRIALS_CORPUS_DIR", REPO.parent / "shared" / "corpus"))
    )
    parser.add_argument("--sample", type=int, default=0, help="build from N trials only (0 = all)")
    parser.add_argument("--raw-sample", type=int, default=2000, help="windows re-encoded by the raw encoder")
    parser.add_argument(
        "--keep-cache", type=Path, default=None, help="keep the filled embedding cache here (must not exist yet)"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-build-"))
    db, builds, cache = work / "trials.sqlite", work / "builds", work / "cache.sqlite"
    if args.keep_cache:
        if args.keep_cache.exists():
            raise SystemExit(f"{args.keep_cache} exists; the first build must start from an empty cache")
        args.keep_cache.parent.mkdir(parents=True, exist_ok=True)
        cache = args.keep_cache.resolve()
    common = ["--db", str(db), "--builds-dir", str(builds), "--cache", str(cache)]
    sample = ["--sample", str(args.sample)] if args.sample else []
    try:
        timed_child(["ingest", str(args.corpus), "--db", str(db)])
        build_s, build_rss, _ = timed_child(["build", *common, *sample])
        first = (builds / "current").resolve()
        manifest = json.loads((first / "manifest.json").read_text())
        size_mb = du(first) / 2**20
        cache_mb = sum(p.stat().st_size for p in cache.parent.glob(cache.name + "*")) / 2**20
        rebuild_s, rebuild_rss, _ = timed_child(["build", *common, *sample])
        current = (builds / "current").resolve()
        rebuild_manifest = json.loads((current / "manifest.json").read_text())

        # Raw encoder on a sample of the very windows the build encoded, in this same run.
        from indexing.embedding import AspectEmbedder, EmbeddingConfig
        from indexing.embedding_cache import EmbeddingCache
        from indexing.related import RelatedIndex
        from indexing.store import TrialStore
        from models.encoders import load_encoder
        from models.trial_text import ASPECTS, aspect_units

        encoder = load_encoder()
        embedder = AspectEmbedder(encoder, EmbeddingCache(None), EmbeddingConfig())
        with TrialStore(db, read_only=True) as store:
            ids = json.loads((current / "ids.json").read_text())
            picked = store.get_many(random.Random(0).sample(ids, min(600, len(ids))))
        windows = [
            w for a in ASPECTS for ws in embedder.windows([aspect_units(t, a) for t in picked.values()]) for w in ws
        ]
        windows = random.Random(1).sample(windows, min(args.raw_sample, len(windows)))
        encoder.encode(windows[:64])  # warm-up
        tick = time.perf_counter()
        encoder.encode(windows)
        raw_rate = len(windows) / (time.perf_counter() - tick)
        stats = manifest["embed_stats"]
        build_rate = (
            stats["encoded"] / manifest["timings"]["embed_s"]
        )  # the whole embed stage, cache and pooling included

        # Related lookups in process, as the service will do them.
        index = RelatedIndex.open(current)
        rng = random.Random(2)
        queries = [rng.choice(index.ids) for _ in range(2000)]
        for q in queries[:100]:
            index.related(q, 10)
        lat = []
        for q in queries:
            tick = time.perf_counter()
            index.related(q, 10)
            lat.append((time.perf_counter() - tick) * 1000)

        # HNSW against exact, on the overall vectors of this build.
        from indexing.ann import build_ann

        overall = np.ascontiguousarray(index.vectors["overall"])
        tick = time.perf_counter()
        _, hnsw_info = build_ann(overall, hnsw_threshold=0)
        hnsw_build_s = time.perf_counter() - tick
    finally:
        shutil.rmtree(work, ignore_errors=True)

    n = manifest["count"]
    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "trials": n,
        "windows_encoded": stats["encoded"],
        "build_wall_s": round(build_s, 1),
        "build_peak_rss_mb": round(build_rss),
        "embed_stage_s": manifest["timings"]["embed_s"],
        "encoder_in_build_windows_per_s": round(build_rate, 1),
        "raw_encoder_windows_per_s": round(raw_rate, 1),
        "pipeline_overhead": round(1 - build_rate / raw_rate, 3),
        "rebuild_unchanged_wall_s": round(rebuild_s, 1),
        "rebuild_unchanged_build_s": rebuild_manifest["timings"]["total_s"],
        "rebuild_windows_encoded": rebuild_manifest["embed_stats"]["encoded"],
        "rebuild_peak_rss_mb": round(rebuild_rss),
        "build_size_mb": round(size_mb, 1),
        "cache_size_mb": round(cache_mb, 1),
        "related_p50_ms": round(statistics.median(lat), 3),
        "related_p99_ms": round(float(np.percentile(lat, 99)), 3),
        "hnsw_recall_at_10": hnsw_info.recall_at_10,
        "hnsw_build_s": round(hnsw_build_s, 1),
        "timings": manifest["timings"],
    }
    (REPO / "data" / "benchmarks").mkdir(parents=True, exist_ok=True)
    (REPO / "data" / "benchmarks" / "build.json").write_text(json.dumps(result, indent=2) + "\n")
    doc = f"""# Index build benchmark

Written by `python scripts/bench_build.py{" --sample " + str(args.sample) if args.sample else ""}` (rerun it to refresh).
Machine: {result["machine"]}; encoder all-MiniLM-L6-v2 on CPU; fresh store, fresh embedding cache.

| measure | value | target |
|---|---:|---|
| trials in the build | {n:,} | |
| windows embedded (128-token windows over 4 aspects) | {stats["encoded"]:,} | |
| full build, wall time (`trials build`, model load included) | {build_s / 60:.1f} min | |
| encoder inside the build (whole embed stage) | {build_rate:.1f} windows/s | |
| raw encoder on {len(windows):,} of the same windows, same run | {raw_rate:.1f} windows/s | |
| pipeline overhead | {100 * result["pipeline_overhead"]:.1f}% | <= 15% |
| rebuild with nothing changed: wall (model load included) / inside the build | {rebuild_s:.1f} s / {result["rebuild_unchanged_build_s"]:.1f} s ({result["rebuild_windows_encoded"]} windows embedded) | seconds |
| build size on disk | {size_mb:.1f} MB | |
| embedding cache size | {cache_mb:.1f} MB | |
| peak RSS of the build | {build_rss:.0f} MB | |
| related lookup in process, p50 / p99 (10 hits with reasons) | {result["related_p50_ms"]:.3f} / {result["related_p99_ms"]:.3f} ms | p50 < 1 ms |
| HNSW (M=32, efSearch=128) recall@10 vs exact, overall vectors | {hnsw_info.recall_at_10:.3f} | |

Stage timings inside the first build (s): {json.dumps(manifest["timings"])}.
"""
    (REPO / "docs" / "benchmarks").mkdir(parents=True, exist_ok=True)
    (REPO / "docs" / "benchmarks" / "build.md").write_text(doc)
    print(doc)


if __name__ == "__main__":
    main()
