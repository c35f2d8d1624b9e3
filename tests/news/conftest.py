"""A misbehaving feed server on 127.0.0.1 (allowed through FEEDS_ALLOWED_PRIVATE_HOSTS)."""

import contextlib
import gzip
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Route:
    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    delay: float = 0.0
    gzip: bool = False


class FeedServer:
    def __init__(self):
        self.routes = {}
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append((self.path, dict(self.headers)))
                route = server.routes.get(self.path, Route(status=404, body=b"not found"))
                if route.delay:
                    time.sleep(route.delay)
                body = gzip.compress(route.body) if route.gzip else route.body
                self.send_response(route.status)
                headers = {"Content-Type": "application/rss+xml", **route.headers}
                if route.gzip:
                    headers["Content-Encoding"] = "gzip"
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def feed_server(settings):
    server = FeedServer()
    settings.FEEDS_ALLOWED_PRIVATE_HOSTS = [f"127.0.0.1:{server.port}"]
    yield server
    server.close()


def rss(*items, title="Member news"):
    """An RSS 2.0 document; each item is a dict of guid, link, title, description, pubDate."""
    body = "".join(
        "<item>" + "".join(f"<{name}>{value}</{name}>" for name, value in item.items()) + "</item>" for item in items
    )
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title><link>https://member.example.org/</link><description>News</description>{body}</channel></rss>'.encode()
