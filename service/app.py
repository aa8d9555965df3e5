"""The app factory: settings in, a FastAPI app out; the build loads at startup and on reload."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.concurrency import run_in_threadpool

from models.encoders import Encoder, ModelNotFound, load_encoder
from service.answer_cache import RelatedAnswerCache
from service.config import ServiceSettings, load_service_settings
from service.errors import install_error_handlers
from service.observability import Metrics, ObservabilityMiddleware, configure_logging
from service.routes import admin, health, search, trials
from service.state import ServiceState

DESCRIPTION = """Related trials and free-text search over ClinicalTrials.gov records.

Try `GET /v1/trials/NCT03458156/related` for the trials related to a lupus nephritis trial.
Every error has one shape: `{"error": {"code", "message", "status"}}`."""


def _load_encoder(settings: ServiceSettings) -> Encoder | None:
    """The encoder for search, once per worker; without one the service still serves records and related lists."""
    try:
        return load_encoder(settings.model, settings.device)
    except ModelNotFound:
        return None


def create_app(
    settings: ServiceSettings | None = None, encoder: Encoder | None = None, with_encoder: bool = True
) -> FastAPI:
    """A configured app; `encoder` may be passed in (tests share one) or is loaded at startup."""
    settings = settings or load_service_settings()
    configure_logging(settings.log_level)
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        loaded = (
            encoder
            if encoder is not None
            else (await run_in_threadpool(_load_encoder, settings) if with_encoder else None)
        )
        state = ServiceState(settings, loaded, metrics)
        app.state.service = state
        await run_in_threadpool(state.reload)
        state.start_polling()
        try:
            yield
        finally:
            await state.stop_polling()
            state.close()

    app = FastAPI(title="Open related trials", version="1", description=DESCRIPTION, lifespan=lifespan)
    install_error_handlers(app)
    app.add_middleware(RelatedAnswerCache)  # innermost: CORS and observability still apply to its answers
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["*"],
        expose_headers=["ETag", "X-Request-ID"],
    )
    app.add_middleware(ObservabilityMiddleware, metrics=metrics)
    for module in (trials, search, health, admin):
        app.include_router(module.router)
    return app
