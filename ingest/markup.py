"""Markup to plain text, for what feeds carry: titles, summaries, content, authors.

People only ever see text: tags are removed (script, style and the like with what is inside
them), entities are decoded exactly once, and a fragment nested deeper than the HTML parser
goes is still read, by a plain tag-stripping pass, rather than coming out empty.
"""

from __future__ import annotations

import html
import re

import lxml.html
from lxml import etree

# One line per block element, so paragraphs stay paragraphs.
_BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "blockquote", "tr", "figcaption")
# Elements whose content is code, styling or a document head, never article text.
_DROPPED = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
            "math", "head", "title", "select", "textarea", "button")
# '<' that opens a tag, a closing tag, a comment or a declaration; '3 < 5' is not markup.
_TAG_START = re.compile(r"<[A-Za-z/!?]")
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][\w:.-]*)")
_LINE_BREAKING = frozenset({*_BLOCKS, "tr", "td", "th", "table", "ul", "ol", "section", "article"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


def looks_like_markup(text: str) -> bool:
    return bool(_TAG_START.search(text))


def strip_tags(fragment: str, *, unescape: bool = True) -> str:
    """Tags removed by one forward scan (linear however broken the markup is): dropped
    elements go with their content, comments go, block ends become line breaks; an
    unclosed tag or comment swallows the rest, as a browser would."""
    lower = fragment.lower()
    out: list[str] = []
    i, n = 0, len(fragment)
    while i < n:
        lt = fragment.find("<", i)
        if lt < 0:
            out.append(fragment[i:])
            break
        out.append(fragment[i:lt])
        if fragment.startswith("<!--", lt):
            end = fragment.find("-->", lt + 4)
            i = n if end < 0 else end + 3
            continue
        name = _TAG_NAME.match(fragment, lt)
        if name is None and fragment[lt + 1:lt + 2] not in ("!", "?"):
            out.append("<")  # a bare '<' in text
            i = lt + 1
            continue
        gt = fragment.find(">", lt)
        if gt < 0:
            break
        i = gt + 1
        tag = name.group(2).lower() if name else ""
        if tag in _DROPPED and not name.group(1):
            close = lower.find(f"</{tag}", i)
            i = n if close < 0 else (fragment.find(">", close) + 1 or n)
        if tag in _LINE_BREAKING:
            out.append("\n")
    text = "".join(out)
    return html.unescape(text) if unescape else text


def html_to_text(fragment: str) -> str:
    """An HTML fragment as text, one block element per line, entities decoded once."""
    if not looks_like_markup(fragment):
        return html.unescape(fragment)
    # huge_tree lifts libxml2's depth limit (the sizes we read are capped by the fetch); a
    # parser per call, since lxml parsers must not be shared between threads.
    parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div", parser=parser)
    except (etree.ParserError, ValueError):
        return strip_tags(fragment)
    for el in list(root.iter(*_DROPPED)):
        el.drop_tree()
    for el in root.iter(*_BLOCKS):
        el.tail = "\n" + (el.tail or "")
        if el.tag != "br":
            el.text = "\n" + (el.text or "")
    text = root.text_content()
    # Past the parser's depth limit the rest of the fragment is silently lost; a tag strip
    # loses nothing, so it wins whenever it finds clearly more text.
    stripped = strip_tags(fragment)
    if _visible(stripped) > 1.2 * _visible(text) + 5:
        return stripped
    return text


def _visible(text: str) -> int:
    return len(text) - sum(text.count(c) for c in " \n\t\r\u00a0")


def plain_line(value: str, is_html: bool) -> str:
    """A title or author as one line of plain text.

    Feedparser hands over HTML-typed values with their entities still encoded, and plain
    ones already decoded; either way, tags never reach people."""
    if is_html or looks_like_markup(value):
        value = html_to_text(value) if is_html else strip_tags(value, unescape=False)
    return _SPACES.sub(" ", value.replace("\n", " ")).strip()


def tidy_lines(text: str) -> str:
    """Spaces collapsed within lines, empty lines dropped."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)
