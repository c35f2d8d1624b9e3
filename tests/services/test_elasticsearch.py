"""The Elasticsearch node the test command starts is really there, and has what we use."""

import uuid

import pytest
from django.conf import settings
from elasticsearch import ApiError, BadRequestError
from elasticsearch import ConnectionError as ElasticsearchConnectionError
from elasticsearch_dsl import Document, Text

from tests.conftest import service_unavailable
from website.elasticsearch import elasticsearch_client, elasticsearch_index_name

pytestmark = pytest.mark.services


@pytest.fixture
def client():
    if not settings.ELASTICSEARCH_URL:
        service_unavailable("ELASTICSEARCH_URL is not set")
    client = elasticsearch_client()
    try:
        # This distribution has no root (info/ping) endpoint; cluster health it has.
        client.cluster.health(timeout="5s")
    except (ElasticsearchConnectionError, ApiError) as error:
        service_unavailable(f"Elasticsearch does not answer at {settings.ELASTICSEARCH_URL}: {error}")
    return client


@pytest.fixture
def index_name(client):
    name = elasticsearch_index_name(f"smoke-{uuid.uuid4().hex[:8]}")
    yield name
    client.indices.delete(index=name, ignore_unavailable=True)


def test_a_document_indexed_through_elasticsearch_dsl_is_found_again(client, index_name):
    class Note(Document):
        title = Text(analyzer="standard")

        class Index:
            name = index_name

    Note.init(using=client)
    Note(meta={"id": "1"}, title="Kindergarten readiness in Cincinnati").save(using=client, refresh=True)

    hits = Note.search(using=client).query("match", title="kindergarten").execute()

    assert [hit.meta.id for hit in hits] == ["1"]
    assert client.count(index=index_name)["count"] == 1


@pytest.mark.parametrize("analyzer", ["standard", "simple", "whitespace", "stop", "keyword"])
def test_the_distribution_has_the_core_analyzers(client, analyzer):
    tokens = client.indices.analyze(analyzer=analyzer, text="Reading Scores")["tokens"]

    assert tokens


@pytest.mark.parametrize("analyzer", ["english", "snowball"])
def test_the_distribution_lacks_language_analyzers(client, analyzer):
    """Pins the README's note: the integ-test-zip has no analysis-common module."""
    with pytest.raises(BadRequestError):
        client.indices.analyze(analyzer=analyzer, text="Reading Scores")


def test_the_hunspell_filter_stems_english_with_the_installed_dictionary(client):
    """The README's stemming note: no stemmer filter here, but core hunspell with en_US does it."""
    tokens = client.indices.analyze(
        tokenizer="standard",
        filter=["lowercase", {"type": "hunspell", "locale": "en_US", "dedup": True}],
        text="Internships policies",
    )["tokens"]
    assert {token["token"] for token in tokens} >= {"internship", "policy"}


def test_the_distribution_lacks_search_as_you_type(client, index_name):
    with pytest.raises(BadRequestError, match="search_as_you_type"):
        client.indices.create(index=index_name, mappings={"properties": {"t": {"type": "search_as_you_type"}}})
