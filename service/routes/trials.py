"""Trial records and their related lists."""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from indexing.filters import TrialFilters
from models.vocabulary import OverallStatus, Phase, StudyType
from service.deps import BuildDep, NctIdPath, StateDep
from service.errors import ApiError
from service.schemas import AspectName, ErrorResponse, RelatedTrials, TrialPublic

router = APIRouter(prefix="/v1/trials", tags=["trials"])
ERRORS = {
    404: {"model": ErrorResponse, "description": "unknown NCT ID"},
    422: {"model": ErrorResponse, "description": "malformed NCT ID or parameter"},
    503: {"model": ErrorResponse, "description": "no build or store loaded yet"},
}


def _cacheable(request: Request, response: Response, tag: str, max_age: int) -> Response | None:
    """Set ETag and Cache-Control; a 304 answer when the client already has this version."""
    etag = f'"{hashlib.sha1(tag.encode()).hexdigest()[:20]}"'
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={max_age}"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    response.headers.update(headers)
    return None


@router.get("/{nct_id}", response_model=TrialPublic, responses=ERRORS, summary="A stored trial record")
async def get_trial(nct_id: NctIdPath, state: StateDep, request: Request, response: Response) -> object:
    """The normalised record of one trial, as the store holds it."""
    trial = await run_in_threadpool(state.trial, nct_id)
    if trial is None:
        raise ApiError(404, "trial_not_found", f"{nct_id} is not in the store")
    build_id = state.build.build_id if state.build else "none"
    cached = _cacheable(request, response, f"{build_id}:{trial.content_hash()}", state.settings.cache_max_age_s)
    return cached or trial


@router.get("/{nct_id}/related", response_model=RelatedTrials, responses=ERRORS, summary="Trials related to one trial")
async def related_trials(
    nct_id: NctIdPath,
    build: BuildDep,
    state: StateDep,
    request: Request,
    response: Response,
    limit: Annotated[int, Query(ge=1, le=100, description="how many related trials")] = 10,
    aspect: Annotated[AspectName, Query(description="rank by the overall score or by one aspect")] = "overall",
    status: Annotated[list[OverallStatus], Query(description="keep trials with any of these statuses")] = [],  # noqa: B006
    phase: Annotated[list[Phase], Query(description="keep trials in any of these phases")] = [],  # noqa: B006
    study_type: Annotated[list[StudyType], Query(description="keep trials of these study types")] = [],  # noqa: B006
    explain: Annotated[bool, Query(description="include the reasons each trial is related")] = True,
) -> object:
    """Best first, with the score, per-aspect scores and reasons. An unfiltered list is a lookup in the
    build's precomputed lists; filters that leave too few fall back to a live index search."""
    tag = f"{build.build_id}:{request.url.path}?{request.url.query}"
    cached = _cacheable(request, response, tag, state.settings.cache_max_age_s)
    if cached:
        return cached
    filters = TrialFilters(frozenset(status), frozenset(phase), frozenset(study_type))
    result = await run_in_threadpool(build.index.related, nct_id, limit, aspect, filters, explain)
    return result.as_json()
