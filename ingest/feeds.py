"""RSS 2.0 / Atom documents -> feed entries, read the way a lenient, careful reader does.

The bytes are decoded by ingest.decode first (so an EUC-KR feed that uses CP949-only
syllables, one that declares the wrong charset, or a UTF-16 one reads right), mended by
ingest.feed_repair (forbidden characters, any prolog, undefined HTML entities, the
document's own entities without ever expanding them much) and handed to feedparser as
UTF-8. When its strict XML parse still fails, feedparser's own loose parser reads on, and
every entry it recovers is kept. Only a document with no feed in it, or a broken one with
no entry to recover, is refused with a one-line FeedError.

Titles, summaries, content and authors come out as plain text (ingest.markup): people never
see a tag from a feed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import feedparser

from ingest.decode import decode_bytes, wide_encoding
from ingest.feed_repair import drop_forbidden, find_root, repair
from ingest.markup import html_to_text, looks_like_markup, plain_line, strip_tags
from ingest.pagedates import normalise_date

_HTML_ROOT = re.compile(rb"<(?:!doctype\s+html|html)[\s>]", re.I)
# How much of a document is decoded to see what it is: enough for a long licence comment.
_SNIFF_BYTES = 256 * 1024
# An entry whose text is at least this long carries the article itself, not a teaser:
# <content>/<content:encoded> is meant to be the article, a <description> seldom is.
FULL_CONTENT_CHARS = 200
FULL_SUMMARY_CHARS = 500
_HTML_TYPES = ("text/html", "application/xhtml+xml")


class FeedError(ValueError):
    """A document that is not a usable RSS or Atom feed."""


@dataclass(slots=True)
class FeedEntry:
    title: str  # plain text
    link: str
    published_at: str | None  # KST ISO 8601
    text: str  # the entry's own text (content or summary), plain text, one paragraph a line
    is_full: bool  # True when `text` is the whole article, so the page need not be fetched
    author: str = ""  # plain text


@dataclass(slots=True)
class ParsedFeed:
    title: str
    entries: list[FeedEntry]


def _head_text(data: bytes) -> str:
    """The start of the document as text, good enough to find its root element: markup is
    ASCII, so any ASCII-compatible charset reads it as latin-1 does."""
    head = data[:_SNIFF_BYTES]
    wide = wide_encoding(head)
    if wide is not None:
        return drop_forbidden(head[wide[1]:].decode(wide[0], "ignore"))
    return drop_forbidden(head.decode("latin-1"))


def sniff_feed(data: bytes) -> bool:
    """Whether the bytes hold an RSS, Atom or RDF root after their prolog."""
    root = find_root(_head_text(data))
    return root is not None and root.name != "html"


def sniff_html(data: bytes) -> bool:
    head = _head_text(data[:8192])
    root = find_root(head)
    if root is not None:
        return root.name == "html"
    return bool(_HTML_ROOT.search(data[:2048])) or "<body" in head.lower()


def _text_of(detail: dict | None, value: str) -> str:
    """Plain text of a summary or content value, by the type feedparser gives it."""
    if detail is not None and detail.get("type") in _HTML_TYPES:
        text = html_to_text(value)
    elif looks_like_markup(value):
        text = strip_tags(value, unescape=False)  # plain text that carries tags anyway
    else:
        text = value
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _is_html(detail: dict | None) -> bool:
    return detail is not None and detail.get("type") in _HTML_TYPES


def _entry_text(entry: feedparser.FeedParserDict) -> tuple[str, bool]:
    """(the entry's longest text, whether it is the whole article)."""
    content = [_text_of(c, c.get("value", "")) for c in entry.get("content", [])]
    summary = _text_of(entry.get("summary_detail"), entry.get("summary", ""))
    best_content = max(content, key=len, default="")
    if len(best_content) >= FULL_CONTENT_CHARS and len(best_content) >= len(summary):
        return best_content, True
    text = max(best_content, summary, key=len)
    return text, len(text) >= FULL_SUMMARY_CHARS


def _refusal(parsed: feedparser.FeedParserDict) -> str:
    exc = parsed.get("bozo_exception")
    if not parsed.bozo or not isinstance(exc, Exception):
        return "not an RSS or Atom feed"
    line = getattr(exc, "getLineNumber", lambda: None)()
    where = f" at line {line}" if line else ""
    message = str(getattr(exc, "getMessage", lambda: exc)()).splitlines()[0]
    return f"invalid XML ({message}{where})"


def parse_feed(data: bytes, content_type: str = "", origin: str = "") -> ParsedFeed:
    """Entries of an RSS 2.0 or Atom document; FeedError if it holds no readable feed."""
    if not data.strip():
        raise FeedError("empty body")
    text = drop_forbidden(decode_bytes(data, content_type).text)
    root = find_root(text)
    if root is None or root.name == "html":
        if root is not None or sniff_html(data):
            raise FeedError("HTML where a feed was expected")
        raise FeedError("not an RSS or Atom feed")
    parsed = feedparser.parse(
        repair(text, root).encode("utf-8"),
        response_headers={"content-type": "application/xml; charset=utf-8"},
        # Nothing of an entry's markup is kept (ingest.markup makes it text), so
        # feedparser's sanitiser would only cost time.
        sanitize_html=False,
        resolve_relative_uris=True,
    )
    if not parsed.entries and (parsed.bozo or not parsed.version):
        raise FeedError(_refusal(parsed))
    entries = []
    for entry in parsed.entries:
        text, is_full = _entry_text(entry)
        published = None
        for key in ("published_parsed", "updated_parsed", "created_parsed"):
            if entry.get(key):
                published = normalise_date(entry[key])
                break
        entries.append(
            FeedEntry(
                title=plain_line(entry.get("title") or "", _is_html(entry.get("title_detail"))),
                link=(entry.get("link") or "").strip(),
                published_at=published,
                text=text,
                is_full=is_full,
                author=plain_line(entry.get("author") or "", False),
            )
        )
    title = plain_line(parsed.feed.get("title") or "", _is_html(parsed.feed.get("title_detail")))
    return ParsedFeed(title=title, entries=entries)
