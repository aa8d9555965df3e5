"""Answer the most common request, an unfiltered related list already served once, straight from cached bytes.

A related list cannot change while a build is served, so its JSON is kept per build (see LoadedBuild).
This middleware serves a repeat of such a request before routing; anything else, or anything unusual
about the request (other parameters, odd spellings of a value), goes on to the FastAPI route, which
validates it, answers it and fills the cache. The route stays the one documented in /openapi.json.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Receive, Scope, Send

from service.state import related_validators

_PATH = re.compile(r"^/v1/trials/(NCT\d{8})/related$")
_BOOLEANS = {"true": True, "false": False}


@dataclass(frozen=True)
class _Route:
    path: str = "/v1/trials/{nct_id}/related"  # the label metrics and logs use for this route


def cache_key(path: str, query: str) -> tuple[str, int, bool] | None:
    """(NCT ID, limit, explain) for a plain related request, else None (the route handles it)."""
    match = _PATH.match(path)
    if not match:
        return None
    limit, explain = 10, True
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name == "limit" and value.isdigit() and 1 <= int(value) <= 100:
            limit = int(value)
        elif name == "explain" and value in _BOOLEANS:
            explain = _BOOLEANS[value]
        else:
            return None
    return match[1], limit, explain


class RelatedAnswerCache:
    """ASGI middleware: a cache hit costs microseconds instead of a pass through routing and validation."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            key = cache_key(scope["path"], scope["query_string"].decode("latin-1"))
            state = getattr(scope["app"].state, "service", None) if key else None
            build = state.build if state is not None else None
            body = build.cached_related_body(*key) if build is not None and key is not None else None
            if body is not None and state is not None and build is not None:
                etag, cache_control = related_validators(build, scope, state.settings.cache_max_age_s)
                headers = [(b"etag", etag.encode()), (b"cache-control", cache_control.encode())]
                if_none_match = dict(scope["headers"]).get(b"if-none-match", b"").decode("latin-1")
                scope["route"] = _Route()
                if etag in if_none_match:
                    await send({"type": "http.response.start", "status": 304, "headers": headers})
                    await send({"type": "http.response.body", "body": b""})
                    return
                headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
