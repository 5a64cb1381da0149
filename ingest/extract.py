"""HTML page -> title, cleaned body, publisher, publication time and canonical URL.

The article text comes from trafilatura; the metadata from the page's own tags first (they
are what the outlet meant), trafilatura's guesses second, the URL last. The text then goes
through the Korean boilerplate rules in ingest.clean.

Pages nested deeper than libxml2 goes by default (a broken template's few hundred unclosed
<span>s) are parsed with its huge-tree option, and a page that still gives no text is read
once more with its inline tags flattened, instead of coming out empty.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import lxml.html
import trafilatura
from htmldate import find_date
from lxml import etree

from ingest.clean import clean_body, normalise_line
from ingest.pagedates import find_published_in_text, normalise_date

log = logging.getLogger(__name__)

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·<]\s+|\s*[|｜]\s*")
_LD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')
_LD_PUBLISHER = re.compile(r'"publisher"\s*:\s*\{[^{}]*?"name"\s*:\s*"([^"]+)"')
# Fewer characters than this after cleaning is a page without an article (a front page,
# an error page, a paywall stub).
MIN_BODY_CHARS = 40
# Inline tags: dropping them changes no text, and it is their unclosed runs that nest deep.
_INLINE_TAGS = re.compile(
    r"</?(?:span|font|b|i|u|em|strong|small|big|sub|sup|mark|abbr|s|strike|tt|nobr|label|cite"
    r"|q|ins|del|a)\b[^>]*>",
    re.I,
)


class ExtractError(ValueError):
    """A page with no article text in it."""


@dataclass(slots=True)
class ExtractedPage:
    title: str
    body: str
    publisher: str
    published_at: str | None  # KST ISO 8601
    canonical_url: str | None  # absolute, as the page gives it (not yet canonicalised)


def _meta(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """Meta tags by lower-cased property/name/itemprop; the first value of each wins."""
    found: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = el.get("property") or el.get("name") or el.get("itemprop")
        value = el.get("content")
        if key and value and value.strip():
            found.setdefault(key.strip().lower(), value.strip())
    return found


def _itemprop_date(tree: lxml.html.HtmlElement) -> str | None:
    for el in tree.xpath("//*[@itemprop='datePublished']"):
        value = el.get("content") or el.get("datetime") or el.text_content()
        if value and value.strip():
            return value.strip()
    return None


def _json_ld(tree: lxml.html.HtmlElement) -> tuple[str | None, str | None]:
    """(datePublished, publisher name) from JSON-LD blocks, read with regexes because many
    Korean sites ship JSON-LD that is not valid JSON."""
    date = publisher = None
    for script in tree.xpath("//script[@type='application/ld+json']"):
        text = script.text or ""
        date = date or (m.group(1) if (m := _LD_DATE.search(text)) else None)
        publisher = publisher or (m.group(1) if (m := _LD_PUBLISHER.search(text)) else None)
    if publisher:
        try:
            publisher = json.loads(f'"{publisher}"')
        except json.JSONDecodeError:
            pass
    return date, publisher


def host_name(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    for prefix in ("www.", "m.", "mobile."):
        if host.startswith(prefix) and host.count(".") >= 2:
            return host[len(prefix):]
    return host


def _strip_site_from_title(title: str, publisher: str) -> str:
    """'제목 | 매체' or '제목 - 매체' -> '제목' when the tail names the publisher.

    Only then: a headline may have a dash of its own ('AI 경쟁 - 누리클라우드의 반격')."""
    separators = list(_TITLE_SEPARATORS.finditer(title))
    if not separators or not publisher:
        return title
    last = separators[-1]
    head, tail = title[: last.start()].strip(), title[last.end():].strip()
    if head and tail and (publisher in tail or tail in publisher):
        return head
    return title


def _first_heading(tree: lxml.html.HtmlElement) -> str:
    for heading in tree.iter("h1", "h2"):
        text = normalise_line(heading.text_content())
        if text:
            return text
    return ""


def _htmldate(html: str, url: str) -> str | None:
    try:
        found = find_date(html, url=url, extensive_search=True, original_date=True)
    except Exception:  # htmldate is a best-effort fallback; a failure only means no date
        log.debug("htmldate failed on %s", url, exc_info=True)
        return None
    return normalise_date(found) if found else None


def _parse(html: str) -> lxml.html.HtmlElement:
    html = _XML_DECL.sub("", html, count=1)  # lxml refuses str input that declares an encoding
    # A parser per page: lxml parsers must not be shared between the fetching threads.
    parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        return lxml.html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractError(f"not parseable HTML ({exc})") from None


def extract_page(html: str, url: str) -> ExtractedPage:
    """Read one article page; raises ExtractError when no article text is found."""
    try:
        return _extract(html, url)
    except ExtractError:
        flat = _INLINE_TAGS.sub("", html)
        if len(flat) == len(html):
            raise
        log.debug("%s: no text as nested; trying again with inline tags flattened", url)
        return _extract(flat, url)


def _extract(html: str, url: str) -> ExtractedPage:
    tree = _parse(html)
    meta = _meta(tree)
    canonical = None
    for link in tree.xpath("//link[@href]"):
        if "canonical" in (link.get("rel") or "").lower().split():
            canonical = urljoin(url, link.get("href").strip())
            break
    canonical = canonical or (urljoin(url, meta["og:url"]) if meta.get("og:url") else None)
    ld_date, ld_publisher = _json_ld(tree)
    page_title = normalise_line(tree.findtext(".//title") or "")
    published = None
    for candidate in (
        meta.get("article:published_time"),
        meta.get("og:article:published_time"),
        meta.get("og:published_time"),
        meta.get("datepublished"),
        _itemprop_date(tree),
        ld_date,
        meta.get("pubdate"),
        meta.get("publishdate"),
        meta.get("dc.date.issued"),
        meta.get("dcterms.created"),
    ):
        published = normalise_date(candidate)
        if published:
            break
    title = normalise_line(
        meta.get("og:title") or meta.get("twitter:title") or meta.get("title") or page_title
        or _first_heading(tree)
    )
    # Read before trafilatura, which prunes the tree it is given.
    page_text = "" if published else tree.text_content()[:20000]

    # Metadata comes from our own reading above; trafilatura's (slow) pass is not needed.
    try:
        doc = trafilatura.bare_extraction(
            tree,
            url=url,
            with_metadata=False,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            deduplicate=False,
        )
    except Exception as exc:  # a page trafilatura chokes on is one broken source, not a crash
        log.debug("trafilatura failed on %s", url, exc_info=True)
        raise ExtractError(f"extraction failed ({type(exc).__name__})") from None
    text = (doc.text if doc is not None else "") or ""

    # article:publisher is often the outlet's Facebook page URL, not its name.
    article_publisher = meta.get("article:publisher", "")
    publisher = (
        meta.get("og:site_name")
        or meta.get("publisher")
        or ("" if "://" in article_publisher else article_publisher)
        or ld_publisher
        or meta.get("application-name")
        or meta.get("twitter:site", "").lstrip("@")
        or ""
    )
    cleaned = clean_body(text, title=title)
    if len(cleaned.body) < MIN_BODY_CHARS:
        raise ExtractError("no article text found")
    publisher = normalise_line(
        publisher or cleaned.publisher_hint or host_name(canonical or url)
    )
    title = _strip_site_from_title(title, publisher)
    if not published:
        # A time printed on the page ('입력 2025.03.06 14:20'); else htmldate's reading of
        # the page, which gives the day only.
        published = cleaned.date_hint or find_published_in_text(page_text)
    if not published:
        published = _htmldate(html, url)
    return ExtractedPage(
        title=title, body=cleaned.body, publisher=publisher,
        published_at=published, canonical_url=canonical,
    )
