"""A reply as the bot would send it: Bot API HTML, buttons, and what it was about."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

MAX_MESSAGE = 4096  # Telegram's limit on one message's text
MAX_CAPTION = 1024  # ...and on a photo's caption


class Undelivered(Exception):
    """A reply the send path gave up on: Telegram's limits left no room for it in time.

    Not a fault of the command: the error handler logs it in one line and apologises to
    nobody (the apology could not go either)."""


@dataclass(frozen=True, slots=True)
class Button:
    text: str
    url: str | None = None
    callback: str | None = None  # callback data, at most 64 bytes


@dataclass(slots=True)
class Reply:
    html: str
    link_preview: bool = False
    buttons: list[list[Button]] = field(default_factory=list)
    article_ids: list[int] = field(default_factory=list)  # cited articles, best first
    photo: bytes | None = None  # a PNG sent with `html` as its caption (/trend)
    photo_name: str = ""  # what the terminal chat calls the file it writes

    @property
    def plain(self) -> str:
        return to_plain(self.html)

    @property
    def visible(self) -> str:
        """The text a Telegram user sees: tags dropped, links shown as their label."""
        return html.unescape(_TAG.sub("", self.html))


def esc(text: object) -> str:
    """Escape text from users or articles for Bot API HTML."""
    return html.escape(str(text), quote=False)


def link(url: str, label: str) -> str:
    return f'<a href="{html.escape(url, quote=True)}">{esc(label)}</a>'


_LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>', re.S)
_TAG = re.compile(r"<[^>]+>")


def to_plain(text: str) -> str:
    """Bot API HTML as terminal text: tags dropped, each link written out after its label."""

    def write_out(m: re.Match[str]) -> str:
        url, label = html.unescape(m.group(1)), m.group(2)
        return f"{label} {url}" if label and html.unescape(label) != url else url

    return html.unescape(_TAG.sub("", _LINK.sub(write_out, text)))


TRIMMED = "…(너무 길어서 줄였어요)"


def visible_length(text: str) -> int:
    """Length of Bot API HTML as Telegram counts it (UTF-16 code units of the visible text)."""
    return len(html.unescape(_TAG.sub("", text)).encode("utf-16-le")) // 2


def fit(reply: Reply, limit: int = MAX_MESSAGE) -> Reply:
    """`reply` cut to Telegram's message limit at a line break; lines keep their tags whole."""
    if visible_length(reply.html) <= limit:
        return reply
    budget = limit - len(TRIMMED) - 1
    kept: list[str] = []
    used = 0
    for line in reply.html.split("\n"):
        size = visible_length(line) + 1
        if used + size > budget:
            if not kept:  # one enormous line: keep its plain text, cut
                plain = html.unescape(_TAG.sub("", line))
                kept.append(esc(plain[: budget // 2]))
            break
        kept.append(line)
        used += size
    reply.html = "\n".join(kept + [TRIMMED])
    return reply
