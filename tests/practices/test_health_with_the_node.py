"""/health/ against the test command's Elasticsearch node: ok with the practice index,
degraded without it."""

import pytest

from practices.services import case_study_index_create

pytestmark = pytest.mark.django_db


def test_health_sees_the_node_and_the_practice_index(client, elasticsearch):
    search = client.get("/health/").json()["checks"]["search"]
    assert search["ok"] is False and search["error"] == "LookupError", "no index yet"

    case_study_index_create()
    report = client.get("/health/").json()
    assert report["status"] == "ok"
    assert report["checks"]["search"]["backend"] == "elasticsearch"
    assert report["checks"]["search"]["cluster"] in ("green", "yellow")
