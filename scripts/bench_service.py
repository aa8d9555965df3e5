"""HTTP service under load, on the published build; writes docs/benchmarks/service.md and data/benchmarks/service.json.

Run: `python scripts/bench_service.py [--builds-dir DIR] [--db FILE]` after `trials build` (the whole corpus
for the reported figures). Starts `trials serve` on a free localhost port and drives it from a second
process with wrk (Debian package `wrk`; `apt-get install wrk`), bounded in time: concurrency 32 against
`GET /v1/trials/{id}/related` (random IDs of the build) and against the bare `GET /healthz` on the same
server in the same run, reported as a ratio; then `GET /v1/search` with 10-word queries at concurrency 1.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

REPO = Path(__file__).resolve().parent.parent
TRIALS = Path(sys.executable).parent / "trials"
WORDS = (
    "lupus nephritis kidney biopsy stem cell transplant asthma inhaled steroid children erectile dysfunction "
    "tadalafil placebo pancreatic cancer KRAS mutation chemotherapy herniated disc lumbar pain surgery diabetes "
    "insulin glucose hypertension elderly women vaccine HIV infection depression therapy"
).split()

LUA = """
local ids = {}
for line in io.lines("%s") do ids[#ids + 1] = line end
math.randomseed(7)
request = function()
  return wrk.format("GET", "/v1/trials/" .. ids[math.random(#ids)] .. "/related?limit=10")
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url: str, seconds: int, connections: int, script: Path | None = None) -> dict[str, float]:
    """Requests/s and latency percentiles from one wrk run (2 threads)."""
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if script:
        cmd[1:1] = ["-s", str(script)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout

    def ms(label: str) -> float:
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", out).groups()  # type: ignore[union-attr]
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "p50_ms": ms("50%"),
        "p99_ms": ms("99%"),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--builds-dir", type=Path, default=Path(os.environ.get("TRIALS_BUILDS_DIR", "data/builds")))
    parser.add_argument("--db", type=Path, default=Path(os.environ.get("TRIALS_DB", "data/trials.sqlite")))
    parser.add_argument("--seconds", type=int, default=20, help="length of each wrk run")
    parser.add_argument("--searches", type=int, default=500, help="sequential search requests")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    ids = json.loads((args.builds_dir / "current" / "ids.json").read_text())
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "TRIALS_BUILDS_DIR": str(args.builds_dir),
        "TRIALS_DB": str(args.db),
        "TRIALS_LOG_LEVEL": "warning",
        "TRIALS_RELOAD_POLL_S": "0",
        "HF_HUB_OFFLINE": "1",
    }
    server = subprocess.Popen(
        [str(TRIALS), "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    work = Path(tempfile.mkdtemp(prefix="bench-service-"))
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.5)
        ready = httpx.get(f"{base}/readyz").json()
        (work / "ids.txt").write_text("\n".join(ids) + "\n")
        (work / "related.lua").write_text(LUA % (work / "ids.txt"))
        # A "hot set": the pages a site's visitors actually open are far fewer than the registry.
        hot = random.Random(5).sample(ids, min(500, len(ids)))
        (work / "hot.txt").write_text("\n".join(hot) + "\n")
        (work / "hot.lua").write_text(LUA % (work / "hot.txt"))
        wrk(f"{base}/healthz", 3, 8)  # warm-up
        wrk(base, 3, 8, work / "related.lua")
        bare = wrk(f"{base}/healthz", args.seconds, 32)
        related = wrk(base, args.seconds, 32, work / "related.lua")
        wrk(base, 3, 8, work / "hot.lua")  # every hot trial requested at least once
        hot_related = wrk(base, args.seconds, 32, work / "hot.lua")

        rng = random.Random(3)
        latencies = []
        with httpx.Client(base_url=base, timeout=30) as client:
            for i in range(args.searches + 10):
                query = " ".join(rng.sample(WORDS, 10))
                tick = time.perf_counter()
                response = client.get("/v1/search", params={"q": query, "limit": 10})
                elapsed = (time.perf_counter() - tick) * 1000
                assert response.status_code == 200, response.text
                if i >= 10:  # the first few warm the encoder
                    latencies.append(elapsed)
        rss_mb = psutil.Process(server.pid).memory_info().rss / 2**20
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)

    search_p50 = statistics.median(latencies)
    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "build_id": ready["build_id"],
        "trials": ready["count"],
        "bare_healthz": bare,
        "related": related,
        "related_vs_bare": round(related["rps"] / bare["rps"], 3),
        "related_hot_set": hot_related,
        "related_hot_vs_bare": round(hot_related["rps"] / bare["rps"], 3),
        "search_concurrency1_p50_ms": round(search_p50, 2),
        "search_concurrency1_p99_ms": round(sorted(latencies)[int(0.99 * len(latencies)) - 1], 2),
        "serving_rss_mb": round(rss_mb),
    }
    (REPO / "data" / "benchmarks").mkdir(parents=True, exist_ok=True)
    (REPO / "data" / "benchmarks" / "service.json").write_text(json.dumps(result, indent=2) + "\n")
    doc = f"""# Service benchmark

Written by `python scripts/bench_service.py` (rerun it to refresh). Machine: {result["machine"]}; one uvicorn
worker (`trials serve` defaults) serving build {ready["build_id"]} ({ready["count"]:,} trials); load from wrk in
a second process on localhost (2 threads), {args.seconds} s per run; server and load generator share the 2 cores.

| endpoint | concurrency | requests/s | p50 | p99 | non-2xx |
|---|---:|---:|---:|---:|---:|
| `GET /healthz` (bare FastAPI JSON endpoint) | 32 | {bare["rps"]:,.0f} | {bare["p50_ms"]:.1f} ms | {bare["p99_ms"]:.1f} ms | {bare["non_2xx"]} |
| `GET /v1/trials/{{id}}/related?limit=10` (random IDs) | 32 | {related["rps"]:,.0f} | {related["p50_ms"]:.1f} ms | {related["p99_ms"]:.1f} ms | {related["non_2xx"]} |
| same, 500 "hot" trials already requested once (served from the per-build answer cache) | 32 | {hot_related["rps"]:,.0f} | {hot_related["p50_ms"]:.1f} ms | {hot_related["p99_ms"]:.1f} ms | {hot_related["non_2xx"]} |
| `GET /v1/search?q=<10 words>&limit=10` | 1 | {1000 / search_p50:,.0f} | {search_p50:.1f} ms | {result["search_concurrency1_p99_ms"]:.1f} ms | 0 |

- related throughput with IDs drawn uniformly from the whole build: **{100 * result["related_vs_bare"]:.0f}%** of the
  bare endpoint's (target >= 80%); for a hot set of 500 trials: **{100 * result["related_hot_vs_bare"]:.0f}%**.
  An unfiltered related list cannot change while a build is served, so its JSON is kept once computed and a
  repeat is answered before routing (`service/answer_cache.py`); in the uniform run each trial's first request
  computes its list (0.2 ms p50 in process, see build.md) and goes through the full route.
- search p50 at concurrency 1: **{search_p50:.1f} ms** per query (target <= 30 ms).
- serving process memory (RSS) after the runs: **{rss_mb:.0f} MB**.
"""
    (REPO / "docs" / "benchmarks").mkdir(parents=True, exist_ok=True)
    (REPO / "docs" / "benchmarks" / "service.md").write_text(doc)
    print(doc)


if __name__ == "__main__":
    main()
