"""The real server (uvicorn on a free localhost port) on a small real build: a client keeps calling while a
second build is published and swapped in, and not one request fails."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import httpx
import pytest

from indexing.build import build_index
from indexing.embedding_cache import EmbeddingCache
from indexing.store import TrialStore
from tests.conftest import SEED
from tests.service.live import live_server, wait_ready

TOKEN = "e2e-token"


@pytest.fixture
def server(subset_db: Path, subset_build: tuple[Path, Path], tmp_path: Path):
    builds = tmp_path / "builds"
    shutil.copytree(subset_build[0], builds, symlinks=True)
    with live_server(subset_db, builds, admin_token=TOKEN, reload_poll_s="1") as (base, proc):
        yield base, builds, proc


def test_reload_switches_builds_without_failed_requests(server, subset_db: Path, subset_build, real_encoder) -> None:
    base, builds, proc = server
    first = wait_ready(base)
    assert httpx.get(f"{base}/v1/trials/{SEED}/related", params={"limit": 3}).json()["hits"]

    outcomes: list[int | str] = []
    stop = threading.Event()

    def keep_calling() -> None:
        with httpx.Client(base_url=base, timeout=10) as client:
            deadline = time.monotonic() + 60  # bounded in time and count
            while not stop.is_set() and time.monotonic() < deadline and len(outcomes) < 20_000:
                try:
                    outcomes.append(client.get(f"/v1/trials/{SEED}/related", params={"limit": 5}).status_code)
                except httpx.HTTPError as error:
                    outcomes.append(type(error).__name__)

    caller = threading.Thread(target=keep_calling)
    caller.start()
    try:
        time.sleep(1)
        with TrialStore(subset_db, read_only=True) as store:
            second = build_index(store, real_encoder, EmbeddingCache(subset_build[1]), builds)
        assert second.build_id != first["build_id"]
        reload = httpx.post(f"{base}/v1/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
        assert reload.status_code == 200, reload.text
        assert reload.json()["build_id"] == second.build_id
        time.sleep(1)
    finally:
        stop.set()
        caller.join(timeout=30)

    assert httpx.get(f"{base}/readyz").json()["build_id"] == second.build_id
    assert len(outcomes) > 20
    assert all(o == 200 for o in outcomes), {o for o in outcomes if o != 200}
    assert proc.poll() is None, "the server is still running"


def test_the_server_notices_a_new_build_on_its_own(server, subset_db: Path, subset_build, real_encoder) -> None:
    base, builds, _ = server
    first = wait_ready(base)
    with TrialStore(subset_db, read_only=True) as store:
        second = build_index(store, real_encoder, EmbeddingCache(subset_build[1]), builds)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and httpx.get(f"{base}/readyz").json()["build_id"] == first["build_id"]:
        time.sleep(0.5)
    assert httpx.get(f"{base}/readyz").json()["build_id"] == second.build_id


def test_a_corrupt_new_build_is_not_loaded_and_the_old_one_keeps_serving(server) -> None:
    base, builds, _ = server
    first = wait_ready(base)
    broken = builds / "20991231T000000000000Z-deadbeef"
    shutil.copytree(builds / first["build_id"], broken)
    with (broken / "overall.faiss").open("r+b") as handle:
        handle.truncate(100)
    link = builds / "current.tmp"
    link.symlink_to(broken.name)
    link.replace(builds / "current")
    reload = httpx.post(f"{base}/v1/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
    assert reload.status_code == 200 and reload.json()["reloaded"] is False
    assert "corrupt" in reload.json()["message"]
    assert httpx.get(f"{base}/readyz").json()["build_id"] == first["build_id"]
    assert httpx.get(f"{base}/v1/trials/{SEED}/related").status_code == 200
