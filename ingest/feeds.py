"""RSS 2.0 / Atom documents -> feed entries, with feedparser.

The bytes are decoded by ingest.decode first (so an EUC-KR feed that uses CP949-only syllables,
or one that declares the wrong charset, reads right) and handed to feedparser as UTF-8.
A document that is not a well-formed feed is refused with a one-line FeedError.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import feedparser
import lxml.html
from lxml import etree

from ingest.decode import decode_bytes
from ingest.pagedates import normalise_date

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_FEED_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]", re.I)
_HTML_ROOT = re.compile(rb"<(?:!doctype\s+html|html)[\s>]", re.I)
# An entry whose text is at least this long carries the article itself, not a teaser:
# <content>/<content:encoded> is meant to be the article, a <description> seldom is.
FULL_CONTENT_CHARS = 200
FULL_SUMMARY_CHARS = 500
_BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "blockquote", "tr", "figcaption")


class FeedError(ValueError):
    """A document that is not a usable RSS or Atom feed."""


@dataclass(slots=True)
class FeedEntry:
    title: str
    link: str
    published_at: str | None  # KST ISO 8601
    text: str  # the entry's own text (content or summary), tags removed
    is_full: bool  # True when `text` is the whole article, so the page need not be fetched


@dataclass(slots=True)
class ParsedFeed:
    title: str
    entries: list[FeedEntry]


def sniff_feed(data: bytes) -> bool:
    """Whether the bytes start like an RSS, Atom or RDF document."""
    head = data[:2048].lstrip()
    return bool(_FEED_ROOT.search(head)) and not _HTML_ROOT.search(head[:512])


def sniff_html(data: bytes) -> bool:
    return bool(_HTML_ROOT.search(data[:2048])) or b"<body" in data[:8192].lower()


def html_to_text(fragment: str) -> str:
    """An HTML fragment as text, one block element per line."""
    if "<" not in fragment:
        return fragment
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", fragment)
    for el in root.iter(*_BLOCKS):
        el.tail = "\n" + (el.tail or "")
        if el.tag != "br":
            el.text = "\n" + (el.text or "")
    return root.text_content()


def _entry_text(entry: feedparser.FeedParserDict) -> tuple[str, bool]:
    """(the entry's longest text, whether it is the whole article)."""
    content = [html_to_text(c.get("value", "")).strip() for c in entry.get("content", [])]
    summary = html_to_text(entry.get("summary", "")).strip()
    best_content = max(content, key=len, default="")
    if len(best_content) >= FULL_CONTENT_CHARS and len(best_content) >= len(summary):
        return best_content, True
    text = max(best_content, summary, key=len)
    return text, len(text) >= FULL_SUMMARY_CHARS


def parse_feed(data: bytes, content_type: str = "", origin: str = "") -> ParsedFeed:
    """Entries of an RSS 2.0 or Atom document; FeedError if it is not a well-formed feed."""
    if not data.strip():
        raise FeedError("empty body")
    if not sniff_feed(data):
        if sniff_html(data):
            raise FeedError("HTML where a feed was expected")
        raise FeedError("not an RSS or Atom feed")
    decoded = decode_bytes(data, content_type)
    text = _XML_DECL.sub('<?xml version="1.0" encoding="utf-8"?>', decoded.text, count=1)
    parsed = feedparser.parse(
        text.encode("utf-8"),
        response_headers={"content-type": "application/xml; charset=utf-8"},
        sanitize_html=False,
        resolve_relative_uris=True,
    )
    if parsed.bozo and isinstance(parsed.get("bozo_exception"), Exception):
        exc = parsed.bozo_exception
        if not isinstance(exc, feedparser.CharacterEncodingOverride):
            line = getattr(exc, "getLineNumber", lambda: None)()
            where = f" at line {line}" if line else ""
            message = str(getattr(exc, "getMessage", lambda: exc)()).splitlines()[0]
            raise FeedError(f"invalid XML ({message}{where})")
    if not parsed.version:
        raise FeedError("not an RSS or Atom feed")
    entries = []
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip()
        text, is_full = _entry_text(entry)
        published = None
        for key in ("published_parsed", "updated_parsed", "created_parsed"):
            if entry.get(key):
                published = normalise_date(entry[key])
                break
        entries.append(
            FeedEntry(
                title=(entry.get("title") or "").strip(),
                link=link,
                published_at=published,
                text=text,
                is_full=is_full,
            )
        )
    return ParsedFeed(title=(parsed.feed.get("title") or "").strip(), entries=entries)
