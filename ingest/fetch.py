"""Fetching feeds and pages over HTTP: a deadline, a size cap, redirects, conditional GET.

Bounded whatever the server does: the size cap counts decoded bytes in every
Content-Encoding layer as they stream in (ingest.content_coding), and each fetch has one
overall deadline kept by the clock (ingest.watchdog), not only by per-read timeouts; a
caller may pass an earlier deadline it shares between several fetches.

Every failure becomes a FetchError whose message is one short line, so a caller can report
a broken source and go on with the rest.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import httpx

from ingest.content_coding import ACCEPTED, BodyDecoder, CodingError, TooLarge
from ingest.watchdog import Watchdog

log = logging.getLogger(__name__)

# Honest about who we are; the URL is a placeholder until the project has a public home.
USER_AGENT = "newsmate/0.1 (+https://example.com/newsmate; Korean news bot)"
MAX_BYTES = 5 * 1024 * 1024
# Connecting should be quick; a slow news server gets longer to send its page.
TIMEOUT = httpx.Timeout(20.0, connect=5.0)
MAX_REDIRECTS = 5
# The whole fetch, redirects and a server that dribbles bytes included.
MAX_SECONDS = 60.0
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9,"
    " text/html;q=0.8, */*;q=0.5"
)


class FetchError(Exception):
    """A URL that gave no usable body: network error, HTTP error, too large, empty."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


@dataclass(slots=True)
class FetchResult:
    url: str  # the final URL, after redirects
    status: int
    content_type: str
    body: bytes
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def make_client(timeout: httpx.Timeout | float = TIMEOUT) -> httpx.Client:
    """An httpx client with our User-Agent and redirect policy; close it when done.

    It opens a new connection for every request, so each fetch's watchdog knows its socket
    from the start (see ingest.watchdog)."""
    return httpx.Client(
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        timeout=timeout,
        limits=httpx.Limits(max_keepalive_connections=0),
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": ACCEPTED},
    )


def _within(timeout: httpx.Timeout, seconds: float) -> httpx.Timeout:
    """The client's timeouts, none longer than what is left of the deadline."""

    def cap(value: float | None) -> float:
        return seconds if value is None else min(value, seconds)

    return httpx.Timeout(
        connect=cap(timeout.connect), read=cap(timeout.read), write=cap(timeout.write),
        pool=cap(timeout.pool),
    )


def fetch(
    client: httpx.Client,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = MAX_BYTES,
    max_seconds: float = MAX_SECONDS,
    deadline: float | None = None,
) -> FetchResult:
    """GET `url`, streaming so that an oversized body is cut off rather than read whole.

    The fetch ends after `max_seconds`, or at `deadline` (a time.monotonic() value) when
    that comes first. With `etag` / `last_modified` the request is conditional and a 304
    comes back as a result with an empty body (`not_modified`), not as an error.
    """
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    until = time.monotonic() + max_seconds
    if deadline is not None:
        until = min(until, deadline)
    with Watchdog(until) as watchdog:
        allowed = watchdog.remaining()
        if allowed <= 0:
            raise FetchError(url, "timed out (no time left for it)")
        try:
            return _get(client, url, headers, max_bytes, watchdog)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            if not watchdog.fired:
                raise _one_line(url, exc) from None
        seconds = f"{allowed:.1f}".removesuffix(".0")
        if watchdog.receiving:
            raise FetchError(url, f"timed out (still sending after {seconds}s)")
        raise FetchError(url, f"timed out (no answer within {seconds}s)")


def _get(
    client: httpx.Client, url: str, headers: dict[str, str], max_bytes: int, watchdog: Watchdog
) -> FetchResult:
    timeout = _within(client.timeout, watchdog.remaining())
    extensions = {"trace": watchdog.trace}
    with client.stream("GET", url, headers=headers, timeout=timeout, extensions=extensions) as response:
        if response.status_code == 304:
            return _result(response, b"")
        if response.status_code >= 400:
            status = f"HTTP {response.status_code} {response.reason_phrase}"
            raise FetchError(url, status.strip())
        declared = response.headers.get("Content-Length", "")
        coding = response.headers.get("Content-Encoding", "")
        if declared.isdigit() and int(declared) > max_bytes:
            size = f"{int(declared) // 1024} KB > {max_bytes // 1024} KB"
            raise FetchError(url, f"too large ({size})")
        watchdog.receiving = True
        try:
            decoder = BodyDecoder(coding, max_bytes)
            chunks: list[bytes] = []
            for raw in response.iter_raw():
                chunks.extend(decoder.feed(raw))
                if watchdog.fired:  # the socket is shut; do not wait for the next read
                    break
            # A body without a length ends when the connection does, and so does one the
            # watchdog cut: that is not the end of the page.
            if watchdog.fired:
                raise httpx.ReadTimeout("deadline")
            chunks.extend(decoder.finish())
        except TooLarge:
            raise FetchError(url, f"too large (more than {max_bytes // 1024} KB decoded)") from None
        except CodingError as exc:
            raise FetchError(url, str(exc)) from None
        body = b"".join(chunks)
        if not body.strip():
            raise FetchError(url, "empty body")
        return _result(response, body)


def _one_line(url: str, exc: httpx.HTTPError | httpx.InvalidURL) -> FetchError:
    if isinstance(exc, httpx.TimeoutException):
        return FetchError(url, "timed out")
    if isinstance(exc, httpx.TooManyRedirects):
        return FetchError(url, f"more than {MAX_REDIRECTS} redirects")
    if isinstance(exc, httpx.InvalidURL):
        return FetchError(url, f"invalid URL ({exc})")
    # Connection refused, DNS failure, broken transfer: one line, named by the class.
    reason = str(exc).splitlines()[0] if str(exc) else ""
    return FetchError(url, f"{type(exc).__name__}: {reason}".rstrip(": "))


def _result(response: httpx.Response, body: bytes) -> FetchResult:
    return FetchResult(
        url=str(response.url),
        status=response.status_code,
        content_type=response.headers.get("Content-Type", ""),
        body=body,
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
    )
