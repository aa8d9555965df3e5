"""Every endpoint through FastAPI's TestClient, on a real build of real trials with the real model."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.config import ServiceSettings
from tests.conftest import SEED, is_lupus

TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def client(subset_db: Path, subset_build: tuple[Path, Path], real_encoder) -> TestClient:
    builds, _ = subset_build
    settings = ServiceSettings(
        db=subset_db, builds_dir=builds, reload_poll_s=0, admin_token=TOKEN, cors_origins=["https://example.org"]
    )
    with TestClient(create_app(settings, encoder=real_encoder)) as test_client:
        yield test_client


def assert_error(response, status: int, code: str, *fragments: str) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == status and body["error"]["code"] == code, body
    for fragment in fragments:
        assert fragment in body["error"]["message"], body


# --- records -------------------------------------------------------------------------------------


def test_record(client: TestClient) -> None:
    response = client.get(f"/v1/trials/{SEED}")
    assert response.status_code == 200
    record = response.json()
    assert record["nct_id"] == SEED and record["conditions"] == ["Lupus Nephritis"]
    assert record["eligibility"]["minimum_age_years"] == 18
    assert response.headers["etag"] and "max-age=" in response.headers["cache-control"]
    again = client.get(f"/v1/trials/{SEED}", headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304 and again.content == b""


def test_record_errors(client: TestClient) -> None:
    assert_error(client.get("/v1/trials/NCT99999999"), 404, "trial_not_found", "NCT99999999")
    assert_error(client.get("/v1/trials/NCT123"), 422, "invalid_request", "^NCT\\d{8}$")
    assert_error(client.get("/v1/nothing-here"), 404, "not_found")


# --- related -------------------------------------------------------------------------------------


def test_related(client: TestClient) -> None:
    response = client.get(f"/v1/trials/{SEED}/related", params={"limit": 5})
    assert response.status_code == 200
    body = response.json()
    assert body["nct_id"] == SEED and len(body["hits"]) == 5
    assert all(is_lupus(h["conditions"], h["title"]) for h in body["hits"])
    assert set(body["hits"][0]) == {"nct_id", "title", "conditions", "score", "aspect_scores", "why"}
    assert SEED not in [h["nct_id"] for h in body["hits"]]
    etag = response.headers["etag"]
    assert (
        client.get(f"/v1/trials/{SEED}/related", params={"limit": 5}, headers={"If-None-Match": etag}).status_code
        == 304
    )
    other = client.get(f"/v1/trials/{SEED}/related", params={"limit": 6})
    assert other.headers["etag"] != etag


def test_related_filters_aspect_and_explain(client: TestClient) -> None:
    completed = client.get(f"/v1/trials/{SEED}/related", params={"status": "COMPLETED", "limit": 10}).json()["hits"]
    assert len(completed) == 10
    for hit in completed:
        assert client.get(f"/v1/trials/{hit['nct_id']}").json()["overall_status"] == "COMPLETED"
    by_condition = client.get(f"/v1/trials/{SEED}/related", params={"aspect": "condition", "limit": 5}).json()["hits"]
    scores = [h["aspect_scores"]["condition"] for h in by_condition]
    assert scores == sorted(scores, reverse=True)
    quiet = client.get(f"/v1/trials/{SEED}/related", params={"explain": "false"}).json()["hits"]
    assert all(h["why"] == [] for h in quiet)


def test_related_errors(client: TestClient) -> None:
    assert_error(client.get("/v1/trials/NCT99999999/related"), 404, "trial_not_found", "not in build")
    assert_error(client.get("/v1/trials/NCT0345/related"), 422, "invalid_request", "^NCT\\d{8}$")
    assert_error(client.get(f"/v1/trials/{SEED}/related", params={"limit": 0}), 422, "invalid_request", "limit")
    assert_error(client.get(f"/v1/trials/{SEED}/related", params={"limit": 101}), 422, "invalid_request", "limit")
    assert_error(
        client.get(f"/v1/trials/{SEED}/related", params={"aspect": "colour"}), 422, "invalid_request", "'condition'"
    )
    assert_error(
        client.get(f"/v1/trials/{SEED}/related", params={"status": "DONE"}), 422, "invalid_request", "'RECRUITING'"
    )
    assert_error(
        client.get(f"/v1/trials/{SEED}/related", params={"phase": "PHASE9"}), 422, "invalid_request", "'PHASE2'"
    )


# --- search --------------------------------------------------------------------------------------


def test_search_get(client: TestClient) -> None:
    response = client.get("/v1/search", params={"q": "lupus nephritis stem cell transplantation", "limit": 5})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "lupus nephritis stem cell transplantation"
    assert body["offset"] == 0 and body["limit"] == 5 and body["total"] > 300
    assert len(body["hits"]) == 5 and body["hits"][0]["nct_id"] == SEED
    # The query also asks for stem-cell transplantation, so transplant trials may rightly share the top.
    assert sum(is_lupus(h["conditions"], h["title"]) for h in body["hits"]) >= 3, body["hits"]
    page_two = client.get(
        "/v1/search", params={"q": "lupus nephritis stem cell transplantation", "limit": 5, "offset": 5}
    ).json()
    assert not {h["nct_id"] for h in page_two["hits"]} & {h["nct_id"] for h in body["hits"]}


def test_search_filters(client: TestClient) -> None:
    params = {
        "q": "kidney disease",
        "status": "COMPLETED",
        "sex": "FEMALE",
        "age": 30,
        "condition": "lupus",
        "limit": 20,
    }
    body = client.get("/v1/search", params=params).json()
    assert 0 < body["total"] < 100 and len(body["hits"]) == min(20, body["total"])
    for hit in body["hits"]:
        record = client.get(f"/v1/trials/{hit['nct_id']}").json()
        assert record["overall_status"] == "COMPLETED"
        assert record["eligibility"]["sex"] in (None, "ALL", "FEMALE")
        low, high = record["eligibility"]["minimum_age_years"], record["eligibility"]["maximum_age_years"]
        assert (low is None or low <= 30) and (high is None or high >= 30)
        assert any("lupus" in c.lower() for c in record["conditions"] + [m["term"] for m in record["condition_mesh"]])
    dated = client.get("/v1/search", params={"q": "lupus", "start_from": "2017-01", "start_to": "2017-12"}).json()
    assert SEED in [h["nct_id"] for h in dated["hits"]]
    for hit in dated["hits"]:
        assert client.get(f"/v1/trials/{hit['nct_id']}").json()["dates"]["start"].startswith("2017")


def test_search_post_takes_a_long_patient_description(client: TestClient) -> None:
    description = (
        "The patient is a 32-year-old woman with systemic lupus erythematosus diagnosed five years ago. "
        "She presents with proteinuria of 3 g per day, rising creatinine and a renal biopsy showing class IV lupus nephritis. "
    ) * 25
    assert len(description) > 5000
    response = client.post("/v1/search", json={"q": description, "limit": 5, "sex": "FEMALE", "age": 32})
    assert response.status_code == 200, response.text
    hits = response.json()["hits"]
    assert len(hits) == 5 and sum(is_lupus(h["conditions"], h["title"]) for h in hits) >= 4, hits


def test_search_errors(client: TestClient) -> None:
    assert_error(client.get("/v1/search", params={"q": ""}), 422, "invalid_request", "q")
    assert_error(client.get("/v1/search"), 422, "invalid_request", "q")
    assert_error(client.get("/v1/search", params={"q": "   "}), 422, "invalid_request", "whitespace")
    assert_error(client.get("/v1/search", params={"q": "x" * 2001}), 422, "invalid_request", "2000")
    assert_error(client.post("/v1/search", json={"q": "x" * 20_001}), 422, "invalid_request", "20000")
    assert_error(
        client.get("/v1/search", params={"q": "asthma", "status": "OPEN"}), 422, "invalid_request", "'RECRUITING'"
    )
    assert_error(client.get("/v1/search", params={"q": "asthma", "sex": "X"}), 422, "invalid_request", "'FEMALE'")
    assert_error(
        client.get("/v1/search", params={"q": "asthma", "start_from": "June"}), 422, "invalid_request", "start_from"
    )
    assert_error(client.get("/v1/search", params={"q": "asthma", "limit": 1000}), 422, "invalid_request", "limit")
    assert_error(client.post("/v1/search", json={"q": "asthma", "colour": "red"}), 422, "invalid_request", "colour")
    assert_error(
        client.post("/v1/search", content=b"{not json", headers={"content-type": "application/json"}),
        422,
        "invalid_request",
    )


# --- health, metrics, admin, conventions -------------------------------------------------------------


def test_health_readiness_and_metrics(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and ready["count"] > 300 and ready["search"] is True
    assert ready["model"].startswith("sentence-transformers/all-MiniLM-L6-v2@") and ready["age_s"] >= 0
    client.get(f"/v1/trials/{SEED}/related")
    text = client.get("/metrics").text
    assert 'trials_http_requests_total{method="GET",route="/v1/trials/{nct_id}/related",status="200"}' in text
    assert (
        'trials_http_request_duration_seconds_bucket{method="GET",route="/v1/trials/{nct_id}/related",le="+Inf"}'
        in text
    )
    assert f'trials_build_info{{build_id="{ready["build_id"]}"' in text
    assert f"trials_index_size{{}} {ready['count']}" in text and "trials_build_age_seconds" in text


def test_admin_reload_needs_the_token(client: TestClient) -> None:
    assert_error(client.post("/v1/admin/reload"), 401, "unauthorized", "Bearer")
    assert_error(client.post("/v1/admin/reload", headers={"Authorization": "Bearer wrong"}), 403, "forbidden")
    ok = client.post("/v1/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"})
    assert ok.status_code == 200 and ok.json()["reloaded"] is False and "already loaded" in ok.json()["message"]


def test_admin_is_disabled_without_a_configured_token(subset_db: Path, subset_build) -> None:
    settings = ServiceSettings(db=subset_db, builds_dir=subset_build[0], reload_poll_s=0, admin_token=None)
    with TestClient(create_app(settings, with_encoder=False)) as bare:
        assert_error(
            bare.post("/v1/admin/reload", headers={"Authorization": "Bearer x"}),
            403,
            "admin_disabled",
            "TRIALS_ADMIN_TOKEN",
        )
        assert_error(bare.get("/v1/search", params={"q": "asthma"}), 503, "search_unavailable", "no encoder")
        assert bare.get(f"/v1/trials/{SEED}/related").status_code == 200


def test_cors_request_ids_and_docs(client: TestClient) -> None:
    response = client.get("/healthz", headers={"Origin": "https://example.org", "X-Request-ID": "abc123"})
    assert response.headers["access-control-allow-origin"] == "https://example.org"
    assert response.headers["x-request-id"] == "abc123"
    assert len(client.get("/healthz").headers["x-request-id"]) == 16
    assert (
        "access-control-allow-origin" not in client.get("/healthz", headers={"Origin": "https://evil.example"}).headers
    )
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            [(_media, content)] = operation["responses"]["200"]["content"].items()
            ref = content.get("schema", {}).get("$ref", "")
            example = content.get("example") or (ref and schemas[ref.split("/")[-1]].get("example"))
            assert example, f"{method.upper()} {path} has no example in /docs"
    assert client.get("/docs").status_code == 200


def test_no_build_published_yet(subset_db: Path, tmp_path: Path) -> None:
    settings = ServiceSettings(db=subset_db, builds_dir=tmp_path / "empty", reload_poll_s=0)
    with TestClient(create_app(settings, with_encoder=False)) as empty:
        assert empty.get("/healthz").status_code == 200
        assert_error(empty.get("/readyz"), 503, "no_build", "run `trials build` first")
        assert_error(empty.get(f"/v1/trials/{SEED}/related"), 503, "no_build", "run `trials build` first")
        assert_error(empty.get("/v1/search", params={"q": "asthma"}), 503, "no_build")
        assert empty.get(f"/v1/trials/{SEED}").status_code == 200, "records come from the store, not the build"
