"""Fetching feeds and pages over HTTP: timeouts, a size cap, redirects, conditional GET.

Every failure becomes a FetchError whose message is one short line, so a caller can report
a broken source and go on with the rest.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import httpx

log = logging.getLogger(__name__)

# Honest about who we are; the URL is a placeholder until the project has a public home.
USER_AGENT = "newsmate/0.1 (+https://example.com/newsmate; Korean news bot)"
MAX_BYTES = 5 * 1024 * 1024
# Connecting should be quick; a slow news server gets longer to send its page.
TIMEOUT = httpx.Timeout(20.0, connect=5.0)
MAX_REDIRECTS = 5
# httpx's read timeout is per chunk; a server that dribbles bytes is cut off after this.
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
    """An httpx client with our User-Agent and redirect policy; close it when done."""
    return httpx.Client(
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        timeout=timeout,
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
    )


def fetch(
    client: httpx.Client,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = MAX_BYTES,
    max_seconds: float = MAX_SECONDS,
) -> FetchResult:
    """GET `url`, streaming so that an oversized body is cut off rather than read whole.

    With `etag` / `last_modified` the request is conditional and a 304 comes back as a
    result with an empty body (`not_modified`), not as an error.
    """
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        with client.stream("GET", url, headers=headers) as response:
            if response.status_code == 304:
                return _result(response, b"")
            if response.status_code >= 400:
                status = f"HTTP {response.status_code} {response.reason_phrase}"
                raise FetchError(url, status.strip())
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > max_bytes:
                size = f"{int(declared) // 1024} KB > {max_bytes // 1024} KB"
                raise FetchError(url, f"too large ({size})")
            chunks: list[bytes] = []
            size = 0
            deadline = time.monotonic() + max_seconds
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(url, f"too large (more than {max_bytes // 1024} KB)")
                if time.monotonic() > deadline:
                    raise FetchError(url, f"timed out (still sending after {max_seconds:.0f}s)")
                chunks.append(chunk)
            body = b"".join(chunks)
            if not body.strip():
                raise FetchError(url, "empty body")
            return _result(response, body)
    except httpx.TimeoutException:
        raise FetchError(url, "timed out") from None
    except httpx.TooManyRedirects:
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects") from None
    except httpx.InvalidURL as exc:
        raise FetchError(url, f"invalid URL ({exc})") from None
    except httpx.HTTPError as exc:
        # Connection refused, DNS failure, broken transfer: one line, named by the class.
        reason = str(exc).splitlines()[0] if str(exc) else ""
        raise FetchError(url, f"{type(exc).__name__}: {reason}".rstrip(": ")) from None


def _result(response: httpx.Response, body: bytes) -> FetchResult:
    return FetchResult(
        url=str(response.url),
        status=response.status_code,
        content_type=response.headers.get("Content-Type", ""),
        body=body,
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
    )
