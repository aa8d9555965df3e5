"""Request ids, structured logs and Prometheus metrics, in one small ASGI middleware."""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections import defaultdict
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("service.access")

BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class JsonLogFormatter(logging.Formatter):
    """One JSON object per line: easy for log pipelines, still readable."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        payload.update(getattr(record, "fields", {}))
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload)


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonLogFormatter())
    root = logging.getLogger("service")
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    root.propagate = False


class Metrics:
    """Request counts and latency histograms per route, rendered in the Prometheus text format."""

    def __init__(self) -> None:
        self.requests: defaultdict[tuple[str, str, int], int] = defaultdict(int)
        self.buckets: defaultdict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * len(BUCKETS))
        self.sums: defaultdict[tuple[str, str], float] = defaultdict(float)
        self.counts: defaultdict[tuple[str, str], int] = defaultdict(int)

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests[(method, route, status)] += 1
        key = (method, route)
        self.sums[key] += seconds
        self.counts[key] += 1
        for i, bound in enumerate(BUCKETS):
            if seconds <= bound:
                self.buckets[key][i] += 1

    def render(self, gauges: dict[str, tuple[str, float, dict[str, str]]]) -> str:
        """All metrics; `gauges` maps a name to (help, value, labels)."""
        out = [
            "# HELP trials_http_requests_total HTTP requests by method, route and status.",
            "# TYPE trials_http_requests_total counter",
        ]
        for (method, route, status), n in sorted(self.requests.items()):
            out.append(f'trials_http_requests_total{{method="{method}",route="{route}",status="{status}"}} {n}')
        out += [
            "# HELP trials_http_request_duration_seconds Request latency by method and route.",
            "# TYPE trials_http_request_duration_seconds histogram",
        ]
        for (method, route), counts in sorted(self.buckets.items()):
            labels = f'method="{method}",route="{route}"'
            for bound, n in zip(BUCKETS, counts, strict=True):
                out.append(f'trials_http_request_duration_seconds_bucket{{{labels},le="{bound}"}} {n}')
            out.append(
                f'trials_http_request_duration_seconds_bucket{{{labels},le="+Inf"}} {self.counts[(method, route)]}'
            )
            out.append(f"trials_http_request_duration_seconds_sum{{{labels}}} {self.sums[(method, route)]:.6f}")
            out.append(f"trials_http_request_duration_seconds_count{{{labels}}} {self.counts[(method, route)]}")
        for name, (help_text, value, labels) in gauges.items():
            label_text = ",".join(f'{k}="{v}"' for k, v in labels.items())
            out += [f"# HELP {name} {help_text}", f"# TYPE {name} gauge", f"{name}{{{label_text}}} {value}"]
        return "\n".join(out) + "\n"


class ObservabilityMiddleware:
    """Gives every request an id (X-Request-ID, kept when the client sends one), logs it, and times it."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        incoming = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")[:64]
        request_id = incoming or uuid.uuid4().hex[:16]
        scope.setdefault("state", {})["request_id"] = request_id
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode("latin-1")))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", "unmatched")
            self.metrics.observe(scope["method"], route, status, seconds)
            if log.isEnabledFor(logging.INFO):
                log.info(
                    "request",
                    extra={
                        "fields": {
                            "request_id": request_id,
                            "method": scope["method"],
                            "path": scope["path"],
                            "route": route,
                            "status": status,
                            "ms": round(seconds * 1000, 2),
                        }
                    },
                )
