"""Ingest throughput and peak memory on the shared corpus; writes docs/benchmarks/ingest.md and data/benchmarks/ingest.json.

Run: `python scripts/bench_ingest.py [--corpus DIR] [--repeat 3]`. Each case runs `trials ingest`
in a fresh process on a fresh store and reads that process's own peak RSS from the kernel (wait4),
so the figures are what a user sees.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TRIALS = Path(sys.executable).parent / "trials"


def run_ingest(paths: list[Path], db: Path) -> dict[str, float]:
    """One ingest in a child process: wall seconds, peak RSS in MB, records read."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [str(TRIALS), "ingest", *map(str, paths), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"ingest failed ({proc.returncode}):\n{output}")
    read = int(output.split("read ", 1)[1].split(" records", 1)[0].replace(",", ""))
    return {"seconds": seconds, "peak_rss_mb": usage.ru_maxrss / 1024, "records": read}


def big_array(corpus: Path, copies: int, target: Path) -> int:
    """A JSON array of `copies` v2 studies with distinct NCT IDs, written study by study."""
    template = json.loads((corpus / "ctgov-v2" / "studies" / "NCT03934567.json").read_text())
    with target.open("w") as out:
        out.write("[")
        for i in range(copies):
            template["protocolSection"]["identificationModule"]["nctId"] = f"NCT9{i:07d}"
            out.write(("," if i else "") + json.dumps(template))
        out.write("]")
    return target.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_corpus = Path(os.environ.get("TRIALS_CORPUS_DIR", REPO.parent / "shared" / "corpus"))
    parser.add_argument("--corpus", type=Path, default=default_corpus)
    parser.add_argument("--repeat", type=int, default=3, help="runs of the single-corpus case (median reported)")
    parser.add_argument("--big-copies", type=int, default=20000, help="studies in the large-array case")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:
        single = [run_ingest([args.corpus], work / f"once-{i}.sqlite") for i in range(args.repeat)]
        thrice = run_ingest([args.corpus] * 3, work / "thrice.sqlite")
        big_file = work / "big-array.json"
        size = big_array(args.corpus, args.big_copies, big_file)
        big = run_ingest([big_file], work / "big.sqlite")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    median_s = statistics.median(r["seconds"] for r in single)
    records = single[0]["records"]
    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "corpus_records": records,
        "corpus_runs_seconds": [round(r["seconds"], 2) for r in single],
        "corpus_median_seconds": round(median_s, 2),
        "corpus_records_per_second": round(records / median_s),
        "corpus_peak_rss_mb": round(max(r["peak_rss_mb"] for r in single), 1),
        "corpus_x3_records": thrice["records"],
        "corpus_x3_seconds": round(thrice["seconds"], 2),
        "corpus_x3_peak_rss_mb": round(thrice["peak_rss_mb"], 1),
        "big_array_studies": big["records"],
        "big_array_mb": round(size / 2**20),
        "big_array_seconds": round(big["seconds"], 2),
        "big_array_peak_rss_mb": round(big["peak_rss_mb"], 1),
    }
    (REPO / "data" / "benchmarks").mkdir(parents=True, exist_ok=True)
    (REPO / "data" / "benchmarks" / "ingest.json").write_text(json.dumps(result, indent=2) + "\n")
    doc = f"""# Ingest benchmark

Written by `python scripts/bench_ingest.py` (rerun it to refresh). Machine: {result["machine"]}.
Each case is `trials ingest` in a fresh process into a fresh SQLite store; peak RSS is the process's own, from the kernel.

| case | records | wall time | records/s | peak RSS |
|---|---:|---:|---:|---:|
| shared corpus (median of {args.repeat}) | {records:,} | {median_s:.1f} s | {result["corpus_records_per_second"]:,} | {result["corpus_peak_rss_mb"]} MB |
| shared corpus read three times over | {thrice["records"]:,} | {thrice["seconds"]:.1f} s | {thrice["records"] / thrice["seconds"]:,.0f} | {result["corpus_x3_peak_rss_mb"]} MB |
| one JSON array of {big["records"]:,} studies ({result["big_array_mb"]} MB) | {big["records"]:,} | {big["seconds"]:.1f} s | {big["records"] / big["seconds"]:,.0f} | {result["big_array_peak_rss_mb"]} MB |

Targets (issue #2): the ~7.5k-record corpus in under 30 s; peak RSS under 300 MB whatever the input size.
Runs of the single-corpus case: {", ".join(f"{s} s" for s in result["corpus_runs_seconds"])}.
"""
    (REPO / "docs" / "benchmarks").mkdir(parents=True, exist_ok=True)
    (REPO / "docs" / "benchmarks" / "ingest.md").write_text(doc)
    print(doc)


if __name__ == "__main__":
    main()
