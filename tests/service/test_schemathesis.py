"""Property-based checks of the whole API against its own OpenAPI schema: no server errors, no schema violations."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from service.app import create_app
from service.config import ServiceSettings
from tests.conftest import SEED


@pytest.fixture(scope="module")
def app(subset_db, subset_build, real_encoder):
    from fastapi.testclient import TestClient

    config = ServiceSettings(db=subset_db, builds_dir=subset_build[0], reload_poll_s=0, admin_token="token")
    application = create_app(config, encoder=real_encoder)
    with TestClient(application):  # runs the lifespan: the build and the encoder are loaded
        yield application


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture(scope="module")
def api_schema(app):
    loaded = schemathesis.openapi.from_asgi("/openapi.json", app)
    # Real trial IDs for path parameters, so generated requests reach the data, not only the 404 path.
    return loaded


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_schema(case) -> None:
    if "nct_id" in (case.path_parameters or {}) and case.path_parameters["nct_id"].startswith("NCT0000000"):
        case.path_parameters["nct_id"] = SEED
    case.call_and_validate()
