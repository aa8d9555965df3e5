"""Repeat related requests are answered from cached bytes, identical to what the route answers."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from indexing.build import BuildConfig, build_index
from indexing.embedding_cache import EmbeddingCache
from indexing.store import TrialStore
from models.encoders import HashingEncoder
from service.answer_cache import cache_key
from service.app import create_app
from service.config import ServiceSettings

SEED = "NCT03458156"


@pytest.mark.parametrize(
    ("path", "query", "key"),
    [
        (f"/v1/trials/{SEED}/related", "", (SEED, 10, True)),
        (f"/v1/trials/{SEED}/related", "limit=5&explain=false", (SEED, 5, False)),
        (f"/v1/trials/{SEED}/related", "explain=true&limit=100", (SEED, 100, True)),
        (f"/v1/trials/{SEED}/related", "limit=0", None),
        (f"/v1/trials/{SEED}/related", "limit=101", None),
        (f"/v1/trials/{SEED}/related", "limit=five", None),
        (f"/v1/trials/{SEED}/related", "explain=yes", None),
        (f"/v1/trials/{SEED}/related", "status=RECRUITING", None),
        ("/v1/trials/nct03458156/related", "", None),
        (f"/v1/trials/{SEED}", "", None),
    ],
)
def test_only_plain_related_requests_have_a_cache_key(path: str, query: str, key) -> None:
    assert cache_key(path, query) == key


@pytest.fixture(scope="module")
def client(corpus_store, tmp_path_factory) -> TestClient:
    corpus, _ = corpus_store
    work = tmp_path_factory.mktemp("answer-cache")
    small = TrialStore(work / "small.sqlite")
    small.upsert(corpus.get_many([*sorted(corpus.content_hashes())[:150], SEED]).values())
    build_index(small, HashingEncoder(), EmbeddingCache(None), work / "builds", BuildConfig(related_k=20))
    settings = ServiceSettings(db=work / "small.sqlite", builds_dir=work / "builds", reload_poll_s=0)
    with TestClient(create_app(settings, with_encoder=False)) as test_client:
        yield test_client


def test_a_repeat_is_served_from_the_cache_with_the_same_bytes_and_headers(client: TestClient) -> None:
    url = f"/v1/trials/{SEED}/related?limit=7"
    first = client.get(url)
    before = client.get("/metrics").text
    second = client.get(url)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and len(second.json()["hits"]) == 7
    assert first.headers["etag"] == second.headers["etag"]
    assert second.headers["cache-control"] == first.headers["cache-control"]
    assert second.headers["x-request-id"]
    assert client.get(url, headers={"If-None-Match": first.headers["etag"]}).status_code == 304
    label = 'trials_http_requests_total{method="GET",route="/v1/trials/{nct_id}/related",status="200"}'
    count = lambda text: int(text.split(label)[1].split()[0])  # noqa: E731
    assert count(client.get("/metrics").text) == count(before) + 1


def test_unusual_requests_still_go_through_validation(client: TestClient) -> None:
    client.get(f"/v1/trials/{SEED}/related")
    assert client.get(f"/v1/trials/{SEED}/related?limit=0").status_code == 422
    assert client.get(f"/v1/trials/{SEED}/related?explain=maybe").status_code == 422
    assert client.get("/v1/trials/NCT99999999/related").status_code == 404
