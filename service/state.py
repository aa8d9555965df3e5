"""What one worker serves from: the published build (swapped atomically on reload), the store, the encoder."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import json
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.types import Scope

from indexing.builds import BuildError, NoBuild, current_build_dir
from indexing.related import RelatedIndex
from indexing.search import ModelMismatch, TrialSearcher
from indexing.store import StoreError, TrialStore
from models.encoders import Encoder
from models.trial import Trial
from service.config import ServiceSettings
from service.errors import ApiError
from service.observability import Metrics

log = logging.getLogger("service.state")


RELATED_CACHE_SIZE = 20_000  # serialized related lists kept per build (~2 KB each)


@dataclass(frozen=True)
class LoadedBuild:
    """A verified build with its searcher; immutable, so a request holds on to one for its whole life."""

    index: RelatedIndex
    searcher: TrialSearcher | None
    search_problem: str | None
    loaded_at: float = field(default_factory=time.time)

    @property
    def build_id(self) -> str:
        return self.index.build_id

    def related_body(self, nct_id: str, limit: int, explain: bool) -> bytes:
        """The JSON of an unfiltered related list, kept: it cannot change while this build is served."""
        key = (nct_id, limit, explain)
        body = self._bodies.get(key)
        if body is None:
            body = json.dumps(self.index.related(nct_id, limit, explain_hits=explain).as_json()).encode()
            if len(self._bodies) >= RELATED_CACHE_SIZE:
                self._bodies.pop(next(iter(self._bodies)))  # drop the oldest entry
            self._bodies[key] = body
        return body

    def cached_related_body(self, nct_id: str, limit: int, explain: bool) -> bytes | None:
        """The kept JSON of a related list, or None when it has not been served yet."""
        return self._bodies.get((nct_id, limit, explain))

    @functools.cached_property
    def _bodies(self) -> dict[tuple[str, int, bool], bytes]:
        return {}


def validators(tag: str, max_age: int) -> tuple[str, str]:
    """ETag and Cache-Control of an answer that changes only with what `tag` names."""
    return f'"{hashlib.sha1(tag.encode()).hexdigest()[:20]}"', f"public, max-age={max_age}"


def related_validators(build: LoadedBuild, scope: Scope, max_age: int) -> tuple[str, str]:
    """ETag and Cache-Control of a related answer: it changes only with the build and the request."""
    return validators(f"{build.build_id}:{scope['path']}?{scope['query_string'].decode('latin-1')}", max_age)


class ServiceState:
    """Per-worker state. Reads take `state.build` once; a reload replaces it in one assignment."""

    def __init__(self, settings: ServiceSettings, encoder: Encoder | None, metrics: Metrics | None = None) -> None:
        self.settings = settings
        self.encoder = encoder
        self.metrics = metrics or Metrics()
        self.build: LoadedBuild | None = None
        self.build_problem: str | None = "no build loaded yet"
        self._store: TrialStore | None = None
        self._store_lock = threading.Lock()  # one SQLite connection, used from the threadpool
        self._reload_lock = threading.Lock()
        self._poller: asyncio.Task[None] | None = None

    # --- the build -------------------------------------------------------------------------

    def reload(self) -> tuple[bool, str]:
        """Load the build `current` points to if it is new; keep the old one if the new one fails verification."""
        with self._reload_lock:
            try:
                target = current_build_dir(self.settings.builds_dir)
                if self.build is not None and self.build.index.path == target:
                    return False, f"build {self.build.build_id} is already loaded"
                index = RelatedIndex.open(target)
            except BuildError as error:
                if self.build is None:
                    self.build_problem = str(error)
                log.warning(
                    "reload failed, still serving %s: %s", self.build.build_id if self.build else "nothing", error
                )
                return False, str(error)
            searcher, problem = None, None
            if self.encoder is not None:
                try:
                    searcher = TrialSearcher(index, self.encoder)
                except ModelMismatch as error:
                    problem = str(error)
            else:
                problem = "search is unavailable: no encoder is loaded in this worker"
            self.build, self.build_problem = LoadedBuild(index, searcher, problem), None
            log.info("serving build %s (%d trials)", index.build_id, len(index.ids))
            return True, f"now serving build {index.build_id}"

    def require_build(self) -> LoadedBuild:
        """The loaded build, or a 503 that says why there is none."""
        build = self.build
        if build is None:
            raise ApiError(503, "no_build", f"no index build is loaded: {self.build_problem}")
        return build

    async def poll_forever(self) -> None:
        """Notice a changed `current` on our own, every reload_poll_s seconds."""
        while True:
            await asyncio.sleep(self.settings.reload_poll_s)
            try:
                target = current_build_dir(self.settings.builds_dir)
            except NoBuild:
                continue
            if self.build is None or self.build.index.path != target:
                await run_in_threadpool(self.reload)

    def start_polling(self) -> None:
        if self.settings.reload_poll_s > 0:
            self._poller = asyncio.get_running_loop().create_task(self.poll_forever())

    async def stop_polling(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller

    # --- the store ---------------------------------------------------------------------------

    def trial(self, nct_id: str) -> Trial | None:
        """A stored record, read through the single read-only connection."""
        with self._store_lock:
            if self._store is None:
                try:
                    self._store = TrialStore(Path(self.settings.db), read_only=True)
                except StoreError as error:
                    raise ApiError(503, "no_store", str(error)) from None
            return self._store.get(nct_id)

    def close(self) -> None:
        with self._store_lock:
            if self._store is not None:
                self._store.close()
                self._store = None
