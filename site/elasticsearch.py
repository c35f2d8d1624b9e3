"""The Elasticsearch connection, configured from ELASTICSEARCH_URL."""

import logging
import time

from django.conf import settings
from elasticsearch_dsl import connections

logger = logging.getLogger(__name__)

REQUEST_TIMEOUT_SECONDS = 10  # indexing and management commands
VISITOR_TIMEOUT_SECONDS = 2  # a visitor's search falls back to the database after this
OUTAGE_BACKOFF_SECONDS = 30  # after a failure, visitors go straight to the database for this long
_outage_until = {}


def elasticsearch_enabled():
    return bool(settings.ELASTICSEARCH_URL)


def elasticsearch_client(*, timeout=REQUEST_TIMEOUT_SECONDS):
    """An elasticsearch-dsl connection to ELASTICSEARCH_URL (one per URL, created on first use)."""
    url = settings.ELASTICSEARCH_URL
    try:
        client = connections.get_connection(url)
    except KeyError:
        client = connections.create_connection(alias=url, hosts=[url], request_timeout=REQUEST_TIMEOUT_SECONDS)
    return client.options(request_timeout=timeout)


def elasticsearch_index_name(name):
    """Index names carry a prefix so several sites (or test runs) can share a node."""
    return f"{settings.ELASTICSEARCH_INDEX_PREFIX}-{name}"


def elasticsearch_available_for_visitors():
    """False for a short while after a visitor's search failed, so a dead node costs one timeout, not one per request."""
    return elasticsearch_enabled() and _outage_until.get(settings.ELASTICSEARCH_URL, 0) <= time.monotonic()


def elasticsearch_outage_record(error):
    logger.warning("Elasticsearch unavailable, searching the database for %d s: %s", OUTAGE_BACKOFF_SECONDS, error)
    _outage_until[settings.ELASTICSEARCH_URL] = time.monotonic() + OUTAGE_BACKOFF_SECONDS


def elasticsearch_outage_clear():
    _outage_until.pop(settings.ELASTICSEARCH_URL, None)
