"""One JSON error shape everywhere: {"error": {"code", "message", "status"}}; never a traceback."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from indexing.builds import BuildError
from indexing.related import InvalidNctId, TrialNotIndexed
from indexing.scoring import UnknownAspect
from indexing.search import ModelMismatch

log = logging.getLogger("service.errors")


class ApiError(Exception):
    """An error with its HTTP status and a stable machine-readable code."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def error_body(status: int, code: str, message: str) -> dict[str, dict[str, object]]:
    return {"error": {"code": code, "message": message, "status": status}}


def _respond(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(error_body(status, code, message), status_code=status, headers=headers)


def _validation_message(error: RequestValidationError) -> str:
    parts = []
    for item in error.errors()[:5]:
        where = ".".join(str(p) for p in item["loc"] if p not in ("query", "path", "body"))
        parts.append(f"{where or 'request'}: {item['msg']}")
    return "; ".join(parts)


# Domain errors raised deep in indexing, each mapped once to its HTTP status and code.
DOMAIN_ERRORS: dict[type[Exception], tuple[int, str]] = {
    InvalidNctId: (422, "invalid_nct_id"),
    TrialNotIndexed: (404, "trial_not_found"),
    UnknownAspect: (422, "invalid_aspect"),
    BuildError: (503, "no_build"),
    ModelMismatch: (503, "model_mismatch"),
}
_HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized", 403: "forbidden", 413: "too_large"}


def _domain_handler(status: int, code: str) -> Callable[[Request, Exception], Awaitable[JSONResponse]]:
    async def handle(_: Request, exc: Exception) -> JSONResponse:
        return _respond(status, code, str(exc))

    return handle


def install_error_handlers(app: FastAPI) -> None:
    """Translate domain errors once, at the HTTP edge."""

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> JSONResponse:
        return _respond(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_: Request, exc: RequestValidationError) -> JSONResponse:
        return _respond(422, "invalid_request", _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        message = str(exc.detail) if exc.status_code != 404 else "no such endpoint; see /docs"
        return _respond(exc.status_code, code, message, getattr(exc, "headers", None))

    for error_class, (status, code) in DOMAIN_ERRORS.items():
        app.add_exception_handler(error_class, _domain_handler(status, code))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _respond(500, "internal_error", "an unexpected error occurred; it has been logged")
