"""OPML 2.0 subscription lists, the file every feed reader imports and exports.

`read_opml` takes the feeds (outlines with an xmlUrl, at any depth: folders are flattened)
with their titles, and refuses a broken file as a whole with the line of the problem, so a
caller never imports half of one. lxml reads it without loading a DTD, resolving an
external entity or going to the network; libxml2's own limit stops entity blow-ups.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime
from urllib.parse import urlsplit

from lxml import etree

MAX_FEEDS = 5000  # more than any reader's list; a larger file is not a subscription list


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    url: str
    title: str


class OpmlError(ValueError):
    """A file that is not a usable OPML list; `line` is where the trouble is, when known."""

    def __init__(self, line: int | None, reason: str) -> None:
        super().__init__(f"line {line}: {reason}" if line else reason)
        self.line = line
        self.reason = reason


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           remove_comments=True, remove_pis=True)


def _attribute(outline: etree._Element, name: str) -> str | None:
    """An attribute by name, whatever its case (xmlUrl, xmlurl and XMLURL are all seen)."""
    for key, value in outline.attrib.items():
        if isinstance(key, str) and key.lower() == name.lower():
            return value
    return None


def read_opml(data: bytes) -> list[OpmlFeed]:
    """The feeds of an OPML file, in order, each URL once; OpmlError when it is broken."""
    if not data.strip():
        raise OpmlError(None, "empty file")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        message = (exc.msg or str(exc)).split(", line ")[0]
        raise OpmlError(exc.lineno, f"not well-formed XML ({message})") from None
    if not isinstance(root.tag, str) or etree.QName(root).localname.lower() != "opml":
        raise OpmlError(root.sourceline, "not an OPML file (no <opml> root)")
    body = next((el for el in root if isinstance(el.tag, str) and el.tag.lower() == "body"), None)
    if body is None:
        raise OpmlError(root.sourceline, "no <body> with the feeds")
    feeds: list[OpmlFeed] = []
    seen: set[str] = set()
    for outline in body.iter("outline"):
        url = _attribute(outline, "xmlUrl")
        if url is None:
            continue  # a folder, or a link that is not a feed
        url = url.strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise OpmlError(outline.sourceline, f"xmlUrl '{url[:80]}' is not an http(s) address")
        if url in seen:
            continue
        seen.add(url)
        title = " ".join((_attribute(outline, "title") or _attribute(outline, "text") or "").split())
        feeds.append(OpmlFeed(url, "" if title == url else title))
        if len(feeds) > MAX_FEEDS:
            raise OpmlError(outline.sourceline, f"more than {MAX_FEEDS} feeds")
    return feeds


def write_opml(feeds: list[OpmlFeed], title: str = "newsmate feeds",
               now: datetime | None = None) -> bytes:
    """An OPML 2.0 document listing `feeds`, titles kept."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    created = format_datetime(now or datetime.now(timezone.utc), usegmt=True)
    etree.SubElement(head, "dateCreated").text = created
    body = etree.SubElement(root, "body")
    for feed in feeds:
        # OPML wants a text on every outline; a feed not read yet has only its address.
        outline = etree.SubElement(body, "outline", type="rss", text=feed.title or feed.url)
        if feed.title:
            outline.set("title", feed.title)
        outline.set("xmlUrl", feed.url)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
