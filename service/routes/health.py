"""Liveness, readiness and metrics."""

from __future__ import annotations

import time
from datetime import datetime

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse

from service.deps import StateDep
from service.errors import ApiError
from service.schemas import ErrorResponse, Health, Readiness

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, summary="The process is up")
async def healthz() -> Health:
    """Always 200 while the process answers."""
    return Health()


def _age_s(created_at: str) -> float:
    return max(0.0, time.time() - datetime.fromisoformat(created_at).timestamp())


@router.get("/readyz", response_model=Readiness, responses={503: {"model": ErrorResponse}}, summary="A build is loaded")
async def readyz(state: StateDep) -> Readiness:
    """200 with the build's id, model, size and age once a build is loaded; 503 saying why not before."""
    build = state.build
    if build is None:
        raise ApiError(503, "no_build", f"not ready: {state.build_problem}")
    m = build.index.manifest
    return Readiness(
        build_id=build.build_id,
        model=m["model"]["model_id"],
        count=m["count"],
        created_at=m["created_at"],
        age_s=round(_age_s(m["created_at"]), 1),
        search=build.searcher is not None,
    )


METRICS_EXAMPLE = """# TYPE trials_http_requests_total counter
trials_http_requests_total{method="GET",route="/v1/trials/{nct_id}/related",status="200"} 42
trials_build_info{build_id="20261126T234747301465Z-5bf57ed1",model="sentence-transformers/all-MiniLM-L6-v2@8e3f0175f615"} 1
"""


@router.get(
    "/metrics",
    response_class=PlainTextResponse,
    summary="Prometheus metrics",
    responses={200: {"content": {"text/plain": {"example": METRICS_EXAMPLE}}}},
)
async def metrics(state: StateDep) -> PlainTextResponse:
    """Request counts and latency histograms per route, the build's id and age, and the index size."""
    gauges: dict[str, tuple[str, float, dict[str, str]]] = {}
    build = state.build
    if build is not None:
        m = build.index.manifest
        gauges["trials_build_info"] = (
            "The build being served.",
            1,
            {"build_id": build.build_id, "model": m["model"]["model_id"]},
        )
        gauges["trials_build_age_seconds"] = ("Seconds since the served build was made.", _age_s(m["created_at"]), {})
        gauges["trials_index_size"] = ("Trials in the served build.", m["count"], {})
    return PlainTextResponse(state.metrics.render(gauges), media_type="text/plain; version=0.0.4")
