"""A hostile news site on 127.0.0.1: compression bombs, endless and dripping pages, slow
servers, bot blocking, pages nested hundreds of levels deep, feeds that lead to all that.

Built on the standard library's threading HTTP server, so each response is written byte
for byte as a hostile server would (several Content-Encoding layers, headers sent a byte at
a time). Every page and sentence is invented. Used by the tests (tests/test_hostile_ingest.py)
and by bench/hostile.py, which serve it with the real timings.
"""

from __future__ import annotations

import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from tests.sloppy_feeds import hostile_feed_cases, sloppy_cases

PARAGRAPHS = (
    "누리항공이 김포와 제주를 잇는 전기 비행기 시험 운항을 다음 달 시작한다고 밝혔다.",
    "시험기는 승객 아홉 명을 태우고 한 번 충전으로 250km를 날 수 있다.",
    "회사는 석 달 동안 하루 두 차례 운항하며 소음과 배터리 온도를 점검할 계획이다.",
    "국토교통부는 시험 결과를 바탕으로 전기 항공기 운항 기준을 마련하기로 했다.",
    "누리항공은 2027년까지 같은 기종 20대를 들여와 섬 노선에 투입하는 방안을 검토하고 있다.",
    "업계에서는 충전 시설을 공항마다 새로 지어야 하는 점을 가장 큰 과제로 꼽는다.",
)
# So that the pages of different numbers are different articles, not rewrites of one.
_COMPANIES = ("누리항공", "한결모빌리티", "새봄로봇", "가람제약", "다솜식품", "벼리반도체",
              "아라해운", "온새미은행", "푸른에너지", "미리내게임즈", "바른건설", "하늬통신")
_TOPICS = (
    ("새 공장을 짓는다", "공장은 {n}만㎡ 규모로 내년 봄에 착공한다", "지역 일자리 {n}00개가 생길 것으로 회사는 내다봤다"),
    ("해외 진출을 발표했다", "첫 시장은 베트남이며 현지 법인을 {n}월에 세운다", "투자액은 {n}00억원으로 정해졌다"),
    ("신제품을 공개했다", "신제품 값은 {n}만원으로 이전 모델보다 낮다", "사전 예약은 {n}일부터 받는다"),
    ("노사 협상을 마쳤다", "임금은 {n}% 오르고 주 4.5일제를 시범 운영한다", "협상은 {n}주 만에 끝났다"),
)


def article_paragraphs(number: int) -> list[str]:
    """Five sentences that make one article of its own for each `number`."""
    company = _COMPANIES[number % len(_COMPANIES)]
    head, one, two = _TOPICS[(number // len(_COMPANIES)) % len(_TOPICS)]
    n = number % 9 + 1
    return [
        f"{company}가 {head}고 {number}일 밝혔다.",
        one.format(n=n) + ".",
        two.format(n=n) + ".",
        f"{company} 관계자는 올해 안에 세부 일정을 공개하겠다고 말했다.",
        f"업계에서는 {company}의 이번 결정이 경쟁사에도 영향을 줄 것으로 본다.",
    ]


def article_html(number: int, *, nesting: int = 0) -> bytes:
    """An ordinary article page; `nesting` unclosed <span>s first, as a broken CMS
    template writes them."""
    title = f"{_COMPANIES[number % len(_COMPANIES)]} 소식 {number}"
    body = "".join(f"<p>{p}</p>" for p in article_paragraphs(number))
    page = (
        f'<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="og:title" content="{title}">'
        '<meta property="og:site_name" content="누리경제">'
        '<meta property="article:published_time" content="2025-03-10T09:00:00+09:00">'
        f'</head><body><header><a href="/">홈</a></header><article>{"<span>" * nesting}'
        f"<h1>{title}</h1>{body}</article></body></html>"
    )
    return page.encode()


def _gzip(data_chunks: Callable[[], object], level: int = 9) -> bytes:
    packer = zlib.compressobj(level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    out = [packer.compress(chunk) for chunk in data_chunks()]  # type: ignore[attr-defined]
    out.append(packer.flush())
    return b"".join(out)


@lru_cache(maxsize=4)
def gzip_bomb(decoded_bytes: int) -> bytes:
    """`decoded_bytes` of zeros, gzipped: about a thousandth of that on the wire."""
    block = bytes(1 << 20)

    def zeros() -> object:
        left = decoded_bytes
        while left > 0:
            yield block[: min(left, len(block))]
            left -= len(block)

    return _gzip(zeros)


@lru_cache(maxsize=4)
def double_gzip_bomb(decoded_bytes: int) -> bytes:
    """The bomb gzipped once more, for `Content-Encoding: gzip, gzip`: a few kilobytes."""
    inner = gzip_bomb(decoded_bytes)
    return _gzip(lambda: [inner])


def teaser_rss(links: list[tuple[str, str]], title: str = "누리경제 속보",
               published: datetime | None = None) -> bytes:
    """A feed of teasers: a title and a one-line summary per link, nothing more."""
    first = published or datetime(2025, 3, 10, tzinfo=timezone.utc)
    items = "".join(
        f"<item><title>{headline}</title><link>{link}</link>"
        f"<description>{headline}에 관한 짧은 소식이에요.</description>"
        f"<pubDate>{format_datetime(first + timedelta(hours=n % 10), usegmt=True)}</pubDate>"
        f"</item>\n"
        for n, (headline, link) in enumerate(links)
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>{title}</title>\n{items}</channel></rss>\n"
    ).encode()


def huge_entry_rss(size: int) -> bytes:
    """One entry whose content is about `size` bytes of article text."""
    sentence = " ".join(PARAGRAPHS) + " "
    repeats = size // len(sentence.encode()) + 1
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>누리경제</title>'
        "<item><title>누리항공 시험 운항 전체 기록</title><link>/page/ok/900</link>"
        f"<content:encoded><![CDATA[<p>{sentence * repeats}</p>]]></content:encoded></item>"
        "</channel></rss>\n"
    ).encode()


@dataclass
class Timings:
    """How hostile the slow routes are; the tests shrink them, the benchmark does not."""

    drip_every: float = 1.0  # seconds between two bytes of a dripping page
    drip_for: float = 600.0  # a dripping page gives up after this
    slow_answer: float = 25.0  # a slow page answers after this
    bomb_bytes: int = 1 << 30  # what a compression bomb decodes to
    huge_bytes: int = 50 << 20  # an endless page's size
    huge_entry_bytes: int = 4_500_000  # under the 5 MB cap, so it must be read
    same_page_items: int = 10_000  # entries of /feed/one-page.xml, all linking one page


# Unclosed <span>s before the article: past the 255 levels libxml2 parses by default.
DEEP_NESTING = 256

HOSTILE_LINKS = [
    ("이중 압축 폭탄 기사", "/bomb/gzip-gzip"),
    ("압축 폭탄 기사", "/bomb/gzip"),
    ("끝없는 기사", "/page/huge"),
    ("한 바이트씩 오는 기사", "/page/drip"),
    ("머리글이 한 바이트씩 오는 기사", "/page/drip-headers"),
    ("느린 기사", "/page/slow/1"),
    ("봇을 막는 기사", "/page/forbidden"),
    ("사라진 기사", "/page/gone"),
    ("멀쩡한 기사", "/page/ok/1"),
    ("깊이 중첩된 기사", "/page/deep"),
]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a reader hanging up on a bomb or a drip is the point, not an error


@dataclass
class HostileSite:
    timings: Timings = field(default_factory=Timings)
    hits: Counter = field(default_factory=Counter)
    server: ThreadingHTTPServer | None = None
    lifted: bool = False  # True: /page/forbidden stops blocking bots and serves its article

    @property
    def base(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def __enter__(self) -> HostileSite:
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
                path = urlsplit(self.path).path
                site.hits[path] += 1
                try:
                    site.respond(self, path)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the reader hung up, as it should

            def log_message(self, *args: object) -> None:
                pass

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.shutdown()
        self.server.server_close()

    # ---- the routes --------------------------------------------------------------------

    def feeds(self) -> dict[str, bytes]:
        t = self.timings
        slow = [(f"느린 기사 {n}", self.url(f"/page/slow/{n}")) for n in range(1, 13)]
        feeds = {
            "/feed/hostile-links.xml": teaser_rss([(h, self.url(p)) for h, p in HOSTILE_LINKS]),
            # The same without the dripping pages, which only the 60 s deadline ends.
            "/feed/bombs.xml": teaser_rss(
                [(h, self.url(p)) for h, p in HOSTILE_LINKS if "drip" not in p]
            ),
            "/feed/one-page.xml": teaser_rss(
                [(f"같은 기사 {n}", self.url("/page/ok/1")) for n in range(t.same_page_items)]
            ),
            "/feed/slow-links.xml": teaser_rss(slow),
            "/feed/drip.xml": teaser_rss([("한 바이트씩 오는 기사", self.url("/page/drip"))]),
            "/feed/deep.xml": teaser_rss([("깊이 중첩된 기사", self.url("/page/deep"))]),
            # Published an hour ago, so that it is news a subscriber is alerted to.
            "/feed/teaser-403.xml": teaser_rss(
                [("봇을 막는 기사", self.url("/page/forbidden"))],
                published=datetime.now(timezone.utc).replace(microsecond=0) - timedelta(hours=1),
            ),
            "/feed/huge-entry.xml": huge_entry_rss(t.huge_entry_bytes),
        }
        for case in hostile_feed_cases():
            feeds[f"/feed/{case.name}.xml"] = case.body
        return feeds

    def respond(self, h: BaseHTTPRequestHandler, path: str) -> None:
        t = self.timings
        if path.startswith("/feed/link/"):  # a feed of one teaser linking the rest of the path
            link = path.removeprefix("/feed/link")
            return self._send(h, 200, teaser_rss([(f"{link} 기사", self.url(link))]),
                              "application/rss+xml; charset=utf-8")
        if path.startswith("/sloppy/"):
            case = {f"/sloppy/{c.name}.xml": c for c in sloppy_cases()}.get(path)
            if case is None:
                return self._send(h, 404, b"no such feed")
            return self._send(h, 200, case.body, case.content_type)
        if path.startswith("/feed/"):
            body = self.feeds().get(path)
            if body is None:
                return self._send(h, 404, b"no such feed")
            return self._send(h, 200, body, "application/rss+xml; charset=utf-8")
        if path == "/bomb/gzip-gzip":
            return self._send(h, 200, double_gzip_bomb(t.bomb_bytes), encoding="gzip, gzip")
        if path == "/bomb/gzip":
            return self._send(h, 200, gzip_bomb(t.bomb_bytes), encoding="gzip")
        if path == "/page/huge":
            return self._stream(h, self._huge())
        if path == "/page/drip":
            return self._stream(h, self._drip())
        if path == "/page/drip-headers":
            return self._drip_headers(h)
        if path.startswith("/page/slow/"):
            time.sleep(t.slow_answer)
            return self._send(h, 200, article_html(100 + int(path.rsplit("/", 1)[1])))
        if path == "/page/forbidden":
            if self.lifted:
                return self._send(h, 200, article_html(403))
            return self._send(h, 403, b"<html><body>bots are not welcome</body></html>")
        if path.startswith("/page/ok/"):
            return self._send(h, 200, article_html(int(path.rsplit("/", 1)[1])))
        if path == "/page/deep":
            return self._send(h, 200, article_html(7, nesting=DEEP_NESTING))
        return self._send(h, 404, b"<html><body>gone</body></html>")

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, body: bytes,
              content_type: str = "text/html; charset=utf-8", encoding: str = "") -> None:
        h.send_response(status)
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(body)))
        if encoding:
            h.send_header("Content-Encoding", encoding)
        h.end_headers()
        h.wfile.write(body)

    @staticmethod
    def _stream(h: BaseHTTPRequestHandler, chunks: object) -> None:
        """No Content-Length: the body ends when the connection does."""
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Connection", "close")
        h.end_headers()
        h.close_connection = True
        for chunk in chunks:  # type: ignore[attr-defined]
            h.wfile.write(chunk)
            h.wfile.flush()

    def _huge(self) -> object:
        piece = b"<html><body>" + b"<p>" + PARAGRAPHS[0].encode() * 200 + b"</p>"
        sent = 0
        while sent < self.timings.huge_bytes:
            yield piece
            sent += len(piece)

    def _drip(self) -> object:
        yield b"<html><body><p>"
        started = time.monotonic()
        while time.monotonic() - started < self.timings.drip_for:
            time.sleep(self.timings.drip_every)
            yield b" "  # never any text: only the clock can end this page

    def _drip_headers(self, h: BaseHTTPRequestHandler) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: " + b"a" * 100_000
        started = time.monotonic()
        for byte in head:
            if time.monotonic() - started > self.timings.drip_for:
                break
            h.wfile.write(bytes([byte]))
            h.wfile.flush()
            time.sleep(self.timings.drip_every)
        h.close_connection = True
