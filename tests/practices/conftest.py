import contextlib
import socket
import threading
import uuid

import pytest
from elasticsearch import ApiError
from elasticsearch import ConnectionError as ElasticsearchConnectionError

from network.models import PartnershipPage
from practices.models import CaseStudyIndexPage
from practices.services import case_study_index_rebuild
from tests.conftest import service_unavailable, snapshot_take
from tests.factories import (
    CaseStudyIndexPageFactory,
    CaseStudyPageFactory,
    practice_corpus_build,
)
from website.elasticsearch import elasticsearch_client, elasticsearch_outage_clear


@pytest.fixture(autouse=True)
def no_remembered_outage():
    elasticsearch_outage_clear()
    yield
    elasticsearch_outage_clear()


@pytest.fixture
def without_elasticsearch(settings):
    settings.ELASTICSEARCH_URL = ""


@pytest.fixture
def elasticsearch(settings):
    """The test command's node, with an index prefix of this test's own (dropped afterwards)."""
    if not settings.ELASTICSEARCH_URL:
        service_unavailable("ELASTICSEARCH_URL is not set")
    settings.ELASTICSEARCH_INDEX_PREFIX = f"test-{uuid.uuid4().hex[:10]}"
    client = elasticsearch_client()
    try:
        client.cluster.health(timeout="5s")
    except (ElasticsearchConnectionError, ApiError) as error:
        service_unavailable(f"Elasticsearch does not answer at {settings.ELASTICSEARCH_URL}: {error}")
    prefix = settings.ELASTICSEARCH_INDEX_PREFIX
    yield client
    names = list(client.indices.get(index=f"{prefix}-*", allow_no_indices=True))
    if names:
        client.indices.delete(index=",".join(names))


@pytest.fixture
def library(home_page):
    """The practice library: the corpus's when the test has one (name the corpus fixture
    first, so its rows are in place), a new one otherwise."""
    return CaseStudyIndexPage.objects.child_of(home_page).first() or CaseStudyIndexPageFactory(parent=home_page)


@pytest.fixture
def make_case_study(library, django_capture_on_commit_callbacks):
    """Publish a case study as an editor would; the index tasks queued on commit run at once."""

    def make(**fields):
        with django_capture_on_commit_callbacks(execute=True):
            return CaseStudyPageFactory(parent=library, **fields)

    return make


@pytest.fixture(scope="session")
def corpus_snapshot(migrated_tables, django_db_blocker, tmp_path_factory):
    return snapshot_take(
        "corpus",
        practice_corpus_build,
        migrated_tables=migrated_tables,
        django_db_blocker=django_db_blocker,
        tmp_path_factory=tmp_path_factory,
    )


@pytest.fixture
def corpus(db, corpus_snapshot, settings):
    """The demo practice library (16 practices, each told by two partnerships) over ten
    partnerships, in the database and not indexed; built once per session and put back
    for each test (about 10 s to build, a fraction of a second to put back)."""
    corpus_snapshot.restore(media_root=settings.MEDIA_ROOT)
    return PartnershipPage.objects.all()


@pytest.fixture
def indexed_corpus(elasticsearch, corpus):
    case_study_index_rebuild()
    return corpus


class TcpProxy:
    """A loopback TCP relay to the real node; stopping it makes the node unreachable for
    whoever was configured to use the proxy (connections refused, open ones cut)."""

    def __init__(self, target_host, target_port):
        self.target = (target_host, target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets = []
        self.running = True
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while self.running:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)

    def stop(self):
        self.running = False
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() still blocked on it
        self.listener.close()
        for sock in self.sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            except OSError:
                pass


@pytest.fixture
def elasticsearch_behind_proxy(elasticsearch, settings):
    """Practice search configured to reach the node through a proxy the test can stop."""
    host, port = settings.ELASTICSEARCH_URL.rsplit("//", 1)[1].rstrip("/").split(":")
    proxy = TcpProxy(host, int(port))
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{proxy.port}"
    yield proxy
    proxy.stop()
