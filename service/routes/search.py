"""Free-text search with filters: GET for short queries, POST for long ones."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from starlette.concurrency import run_in_threadpool

from indexing.filters import TrialFilters
from service.deps import BuildDep, StateDep
from service.errors import ApiError
from service.schemas import ErrorResponse, SearchFilterFields, SearchRequest, SearchResults

router = APIRouter(prefix="/v1", tags=["search"])
ERRORS = {
    400: {"model": ErrorResponse, "description": "a body that is not JSON"},
    422: {"model": ErrorResponse, "description": "empty or too long query, or an unknown filter value"},
    503: {"model": ErrorResponse, "description": "no build loaded, or search unavailable for it"},
}


def _filters(fields: SearchFilterFields) -> TrialFilters:
    return TrialFilters(
        statuses=frozenset(s.value for s in fields.status),
        phases=frozenset(p.value for p in fields.phase),
        study_types=frozenset(t.value for t in fields.study_type),
        sex=fields.sex.value if fields.sex and fields.sex.value != "ALL" else None,
        age=fields.age,
        condition=fields.condition,
        intervention=fields.intervention,
        start_from=fields.start_from,
        start_to=fields.start_to,
    )


async def _search(request: SearchRequest, build: BuildDep, state: StateDep) -> SearchResults:
    query = request.q.strip()
    if not query:
        raise ApiError(422, "invalid_request", "q: must contain some text, not only whitespace")
    if len(query) > state.settings.max_query_chars:
        raise ApiError(422, "query_too_long", f"q: at most {state.settings.max_query_chars} characters")
    if build.searcher is None:
        raise ApiError(503, "search_unavailable", build.search_problem or "search is unavailable")
    result = await run_in_threadpool(build.searcher.search, query, request.limit, request.offset, _filters(request))
    return SearchResults(
        query=query,
        total=result.total,
        offset=result.offset,
        limit=request.limit,
        hits=[h.as_json() for h in result.hits],
    )


def _query_params(
    q: Annotated[
        str, Query(min_length=1, max_length=2000, description="free text", examples=["lupus nephritis stem cell"])
    ],
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    filters: Annotated[SearchFilterFields, Query()] = SearchFilterFields(),  # noqa: B008
) -> SearchRequest:
    return SearchRequest(q=q, limit=limit, offset=offset, **filters.model_dump())


@router.get("/search", response_model=SearchResults, responses=ERRORS, summary="Search trials (short query)")
async def search_get(
    request: Annotated[SearchRequest, Depends(_query_params)], build: BuildDep, state: StateDep
) -> SearchResults:
    """Trials ranked by similarity to `q` (dense baseline), after the filters. For long queries use POST."""
    return await _search(request, build, state)


@router.post("/search", response_model=SearchResults, responses=ERRORS, summary="Search trials (long query in a body)")
async def search_post(request: SearchRequest, build: BuildDep, state: StateDep) -> SearchResults:
    """The same search with the query and filters in a JSON body: a patient description of several thousand characters fits."""
    return await _search(request, build, state)
