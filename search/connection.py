"""The one Elasticsearch connection, configured from ELASTICSEARCH_URL."""

from django.conf import settings
from elasticsearch_dsl import connections

REQUEST_TIMEOUT_SECONDS = 5


def elasticsearch_enabled():
    return bool(settings.ELASTICSEARCH_URL)


def elasticsearch_client():
    """The elasticsearch-dsl default connection, created on first use."""
    try:
        return connections.get_connection()
    except KeyError:
        return connections.create_connection(
            hosts=[settings.ELASTICSEARCH_URL], request_timeout=REQUEST_TIMEOUT_SECONDS
        )


def elasticsearch_index_name(name):
    """Index names carry a prefix so several sites (or test runs) can share a node."""
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-{name}"
