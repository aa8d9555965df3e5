"""Start the real server (`trials serve`, uvicorn) on a free localhost port for a test."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(base: str, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            response = httpx.get(f"{base}/readyz", timeout=2)
            if response.status_code == 200:
                return response.json()
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"server at {base} not ready within {timeout} s")


@contextmanager
def live_server(db: Path, builds: Path, **settings: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """The server as a user runs it, with TRIALS_* settings; stopped (and waited for) on exit."""
    port = free_port()
    env = {
        **os.environ,
        "TRIALS_DB": str(db),
        "TRIALS_BUILDS_DIR": str(builds),
        "TRIALS_LOG_LEVEL": "warning",
        "HF_HUB_OFFLINE": "1",
        **{f"TRIALS_{k.upper()}": v for k, v in settings.items()},
    }
    trials = Path(sys.executable).parent / "trials"
    proc = subprocess.Popen(
        [str(trials), "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        yield f"http://127.0.0.1:{port}", proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
