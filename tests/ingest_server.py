"""A loopback news site for the ingest tests: the fixture pages and feeds, and broken ones.

A test module makes it a fixture with `yield from serve_news_site()`. The server listens on
127.0.0.1 only and stops when the fixture ends.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]) + bytes(64)
SLOW_SECONDS = 1.0  # the slow page answers after this; tests use a shorter client timeout


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@dataclass
class NewsSite:
    server: HTTPServer

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def requests_to(self, path: str) -> int:
        return sum(1 for request, _ in self.server.log if request.path == path)


def _with_base(name: str, base: str) -> bytes:
    return fixture_bytes(name).replace(b"{base}", base.encode("ascii"))


def _routes(server: HTTPServer) -> None:
    base = f"http://127.0.0.1:{server.port}"
    html = "text/html"
    pages = {
        "/news/1001": ("page_utf8.html", "text/html; charset=utf-8"),
        "/news/2002": ("page_euckr_declared.html", html),  # <meta http-equiv> says euc-kr
        "/news/3003": ("page_euckr_undeclared.html", html),  # no charset anywhere
        "/news/4004": ("page_wrong_declared.html", "text/html; charset=utf-8"),  # really CP949
    }
    for path, (name, ctype) in pages.items():
        server.expect_request(path).respond_with_data(fixture_bytes(name), content_type=ctype)
    server.expect_request("/old/2002").respond_with_data(
        "", status=301, headers={"Location": "/news/2002"}
    )
    server.expect_request("/rss.xml").respond_with_data(
        _with_base("feed_rss.xml", base), content_type="application/rss+xml; charset=utf-8"
    )
    # Declared euc-kr in the XML declaration only; no charset in the header.
    server.expect_request("/atom.xml").respond_with_data(
        _with_base("feed_atom.xml", base), content_type="application/atom+xml"
    )
    server.expect_request("/broken/invalid.xml").respond_with_data(
        _with_base("feed_invalid.xml", base), content_type="application/rss+xml"
    )
    server.expect_request("/broken/html-feed.xml").respond_with_data(
        fixture_bytes("page_utf8.html"), content_type="application/rss+xml"
    )
    server.expect_request("/news/gone").respond_with_data("not found", status=404)
    server.expect_request("/broken/500").respond_with_data("oops", status=500)
    server.expect_request("/broken/empty").respond_with_data(
        b"", content_type="application/rss+xml"
    )
    server.expect_request("/broken/binary").respond_with_data(PNG, content_type="image/png")
    server.expect_request("/broken/binary-as-html").respond_with_data(PNG, content_type="text/html")

    def slow(_request: Request) -> Response:
        time.sleep(SLOW_SECONDS)
        return Response(fixture_bytes("feed_rss.xml"), content_type="application/rss+xml")

    server.expect_request("/broken/slow").respond_with_handler(slow)
    big = b"<html><body><p>" + "가".encode() * (2 * 1024 * 1024) + b"</p></body></html>"
    server.expect_request("/broken/huge").respond_with_data(big, content_type=html)

    def huge_stream(_request: Request) -> Response:
        # No Content-Length: the size limit has to stop the stream itself.
        chunk = "<p>누리온 3 안내 문단입니다.</p>".encode() * 1000
        return Response((chunk for _ in range(1000)), content_type=html)

    server.expect_request("/broken/huge-stream").respond_with_handler(huge_stream)

    def dribble(_request: Request) -> Response:
        # A little at a time, each piece well within the read timeout, for 2 seconds.
        def pieces() -> Iterator[bytes]:
            for _ in range(20):
                time.sleep(0.1)
                yield b"<p>...</p>"

        return Response(pieces(), content_type=html)

    server.expect_request("/broken/dribble").respond_with_handler(dribble)

    # The RSS feed without its broken entry, so that a poll of it succeeds completely.
    whole = _with_base("feed_rss.xml", base)
    cond_feed = re.sub(r"<item>\s*<title>사라진.*?</item>".encode(), b"", whole, flags=re.S)
    assert cond_feed != whole

    def conditional(request: Request) -> Response:
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(
            cond_feed,
            content_type="application/rss+xml; charset=utf-8",
            headers={"ETag": '"v1"', "Last-Modified": "Fri, 07 Mar 2025 00:00:00 GMT"},
        )

    server.expect_request("/cond/rss.xml").respond_with_handler(conditional)
    # One good entry and one that can never be read: the feed is fine, the poll is not.
    bad_entry = re.sub(rb"<item>.*</item>", (
        f"<item><title>FTP</title><link>ftp://127.0.0.1/news</link></item>"
        f"<item><title>x</title><link>{base}/news/1001</link></item>"
    ).encode(), whole, count=1, flags=re.S)
    server.expect_request("/cond/bad-entry.xml").respond_with_data(
        bad_entry, content_type="application/rss+xml", headers={"ETag": '"v2"'},
    )
    server.expect_request("/echo-ua").respond_with_handler(
        lambda request: Response(request.headers.get("User-Agent", ""), content_type="text/plain")
    )


def serve_news_site() -> Iterator[NewsSite]:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        _routes(server)
        yield NewsSite(server)
    finally:
        server.clear()
        if server.is_running():
            server.stop()
