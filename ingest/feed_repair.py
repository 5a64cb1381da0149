"""Sloppy feed text made into XML a strict parser reads, without ever growing it much.

Feeds as they are served break XML in a few common ways, and each is mended here before
feedparser sees the text:

- control characters XML forbids (a NUL inside one description) are dropped;
- whatever comes before the root element (an XML declaration, comments of any length, a
  DOCTYPE, stray text a server printed first) is dropped, newlines kept so that error
  line numbers still point into the original;
- entities are rewritten outside CDATA sections: HTML names XML does not define (&nbsp;,
  &middot;) become character references, a bare '&' becomes &amp;, character references
  to forbidden characters go, and an unknown name is kept as text;
- entities the document declares itself are expanded only when their value is plain text
  (no other entity in it, nothing external) and the expansion stays small; the others
  (billion laughs, external entities, quadratic blow-up) are flattened to nothing.

The DOCTYPE never reaches the parser, so nothing is resolved or expanded there either.
"""

from __future__ import annotations

import html.entities
import re
from collections import Counter
from dataclasses import dataclass

# Characters XML 1.0 forbids, plus C1 controls, which only ever show up as damage.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
_ROOT = re.compile(r"<(rss|feed|rdf:RDF|html)[\s>/]", re.I)
_PROLOG_PART = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.S)
_DOCTYPE_HEAD = re.compile(r"<!DOCTYPE\b", re.I)
_ENTITY_DECL = re.compile(
    r"""<!ENTITY\s+(%\s+)?([A-Za-z_][\w.:-]*)\s+(?:"([^"]*)"|'([^']*)'|(\w+)[^>]*)>"""
)
_CDATA = re.compile(r"(<!\[CDATA\[.*?(?:\]\]>|$))", re.S)
_REFERENCE = re.compile(r"&(?:#([0-9]{1,8});|#[xX]([0-9a-fA-F]{1,8});|([A-Za-z_][\w.:-]{0,40});)?")
_XML_NAMES = frozenset({"amp", "lt", "gt", "quot", "apos"})
# How far stray text before the root may reach, and how much the document's own entities
# may add to it in all: a real feed's declared entities are a few short names.
_SEARCH_ROOT_CHARS = 256 * 1024
EXPANSION_BUDGET = 64 * 1024

DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'


def drop_forbidden(text: str) -> str:
    return _FORBIDDEN.sub("", text)


@dataclass(frozen=True, slots=True)
class Root:
    start: int  # where the root element's '<' is
    name: str  # 'rss', 'feed', 'rdf:RDF' or 'html'
    doctype: str  # the DOCTYPE declaration before it, '' when there is none


def _skip_doctype(text: str, at: int) -> int:
    """The end of the DOCTYPE starting at `at`: its internal subset may hold '>'."""
    depth = 0
    quote = ""
    for i in range(at + 2, len(text)):
        ch = text[i]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == ">" and depth <= 0:
            return i + 1
    return len(text)


def find_root(text: str) -> Root | None:
    """The root element after the prolog, or after stray text before it; None if there is
    no feed or HTML root at all."""
    i, doctype = 0, ""
    while i < len(text):
        part = _PROLOG_PART.match(text, i)
        if part:
            i = part.end()
            continue
        if _DOCTYPE_HEAD.match(text, i):
            end = _skip_doctype(text, i)
            doctype, i = text[i:end], end
            continue
        break
    root = _ROOT.match(text, i)
    if root is None:
        root = _ROOT.search(text, i, i + _SEARCH_ROOT_CHARS)
    if root is None:
        return None
    name = root.group(1)
    return Root(root.start(), "rdf:RDF" if name.lower() == "rdf:rdf" else name.lower(), doctype)


def _declared_entities(doctype: str, body: str) -> dict[str, str]:
    """name -> replacement for every entity the DOCTYPE declares: plain-text values within
    the budget, '' (flattened) for the rest."""
    found: dict[str, str] = {}
    budget = EXPANSION_BUDGET
    uses = Counter(m.group(3) for m in _REFERENCE.finditer(body) if m.group(3))
    for match in _ENTITY_DECL.finditer(doctype):
        parameter, name, double, single, external = match.groups()
        if parameter:
            continue  # parameter entities only work inside the DTD, which is dropped
        value = double if double is not None else single
        if value is None or external or "%" in value or _refers_to_entities(value):
            found[name] = ""  # external, or built from other entities: never expanded
            continue
        value = _decode_plain_refs(value).replace("\n", " ")
        cost = len(value) * uses[name]
        if cost > budget:
            found[name] = ""
            continue
        budget -= cost
        found[name] = value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    return found


def _refers_to_entities(value: str) -> bool:
    """Whether an entity value uses other entities (character references and XML's own
    five do not count: they cannot grow)."""
    return any(
        m.group(3) is not None and m.group(3) not in _XML_NAMES for m in _REFERENCE.finditer(value)
    )


def _decode_plain_refs(value: str) -> str:
    def one(m: re.Match[str]) -> str:
        if m.group(1) or m.group(2):
            return _char(m.group(1), m.group(2))
        if m.group(3) in _XML_NAMES:
            return html.entities.html5[f"{m.group(3)};"]
        return m.group(0)

    return _REFERENCE.sub(one, value)


def _char(decimal: str | None, hexadecimal: str | None) -> str:
    """The character a numeric reference names, '' when XML forbids it. References into
    0x80-0x9F mean the windows-1252 characters there (curly quotes, dashes), as in HTML."""
    code = int(decimal, 10) if decimal else int(hexadecimal or "0", 16)
    if 0x80 <= code <= 0x9F:
        return bytes([code]).decode("cp1252", "ignore")
    if code > 0x10FFFF:
        return ""
    ch = chr(code)
    return "" if _FORBIDDEN.match(ch) else ch


def _rewrite_references(segment: str, declared: dict[str, str]) -> str:
    def one(m: re.Match[str]) -> str:
        decimal, hexadecimal, name = m.groups()
        if decimal or hexadecimal:
            ch = _char(decimal, hexadecimal)
            return f"&#{ord(ch)};" if len(ch) == 1 else ch
        if name is None:
            return "&amp;"  # a bare ampersand ('AT&T', a query string)
        if name in _XML_NAMES:
            return m.group(0)
        if name in declared:
            return declared[name]
        text = html.entities.html5.get(f"{name};") or html.entities.html5.get(f"{name.lower()};")
        if text:
            return "".join(f"&#{ord(c)};" for c in text)
        return f"&amp;{name};"  # unknown: shown as written, like a browser does

    return _REFERENCE.sub(one, segment)


def repair(text: str, root: Root) -> str:
    """The feed from its root element on, with the fixes above, under a UTF-8 declaration."""
    body = text[root.start:]
    declared = _declared_entities(root.doctype, body) if root.doctype else {}
    parts = _CDATA.split(body)
    # split() with one group: even indexes are outside CDATA, odd ones are CDATA sections.
    for index in range(0, len(parts), 2):
        if "&" in parts[index]:
            parts[index] = _rewrite_references(parts[index], declared)
    lines_before = text.count("\n", 0, root.start)
    return DECLARATION + "\n" * lines_before + "".join(parts)
