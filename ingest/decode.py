"""Bytes to text for Korean pages and feeds: declared charsets first, detection when they lie.

Order: UTF-16/UTF-32 (by byte-order mark, or by the NUL bytes of their first characters,
which also settles what a header or declaration claims), a UTF-8 byte-order mark, the HTTP
Content-Type charset, then the charset the document declares itself (<meta charset>,
<meta http-equiv>, the XML declaration), then detection. Many Korean sites still serve
EUC-KR, and the charset they declare is not always the one they use, so a declaration is
checked against the bytes before it is trusted.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

log = logging.getLogger(__name__)

# EUC-KR proper lacks 8,822 Hangul syllables that CP949 (its Microsoft superset) has, and pages
# labelled EUC-KR use them freely; browsers decode EUC-KR as CP949 for the same reason.
_ALIASES = {
    "euc_kr": "cp949",
    "ks_c_5601_1987": "cp949",
    "ks_c_5601": "cp949",
    "ksc5601": "cp949",
    "ksc_5601": "cp949",
    "uhc": "cp949",
    "x_windows_949": "cp949",
    "windows_949": "cp949",
    "ms949": "cp949",
    # WHATWG: a page labelled latin-1 or ascii is decoded as windows-1252.
    "latin_1": "cp1252",
    "iso8859_1": "cp1252",
    "ascii": "cp1252",
}
# Single-byte charsets decode any bytes at all, so a clean decode proves nothing.
_SINGLE_BYTE = frozenset({"cp1252", "iso8859_15", "cp1250"})
# UTF-32 first: its little-endian mark begins with the UTF-16 one.
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Without a mark, markup starts with ASCII ('<?xml', '<rss'), and in a wide encoding the
# high bytes of those characters are NUL: which bytes of each group are NUL names the codec.
# (The XML specification's Appendix F reads the first four bytes the same way.)
_WIDE_PATTERNS = (
    (4, (1, 2, 3), "utf-32-le"),
    (4, (0, 1, 2), "utf-32-be"),
    (2, (1,), "utf-16-le"),
    (2, (0,), "utf-16-be"),
)
_WIDE_SAMPLE = 16  # bytes: four UTF-32 or eight UTF-16 characters
# Magic numbers of the binary files a news link or feed URL may hand back instead.
_BINARY_MAGIC = (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04", b"\x1f\x8b")
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]+encoding\s*=\s*[\"']([\w.:-]+)[\"']", re.I)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
# How much of a large page detection looks at; enough for a sure answer, cheap to run.
_DETECT_BYTES = 64 * 1024


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # Python codec name actually used
    declared: str | None  # what the header or document claimed, normalised
    how: str  # 'bom', 'declared', 'detected' or 'fallback', for logs and tests


def normalise_charset(name: str | None) -> str | None:
    """A Python codec name for a charset label, with EUC-KR read as CP949; None if unknown."""
    if not name:
        return None
    label = name.strip().strip("\"'").lower().replace("-", "_")
    if label in _ALIASES:
        return _ALIASES[label]
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return None
    return _ALIASES.get(codec.replace("-", "_"), codec)


def charset_from_content_type(content_type: str | None) -> str | None:
    match = _HEADER_CHARSET.search(content_type or "")
    return normalise_charset(match.group(1)) if match else None


def charset_from_markup(data: bytes) -> str | None:
    """The charset an HTML or XML document declares in its first few kilobytes."""
    head = data[:4096]
    match = _XML_DECL.search(head) or _META_CHARSET.search(head)
    return normalise_charset(match.group(1).decode("ascii", "ignore")) if match else None


def wide_encoding(data: bytes) -> tuple[str, int] | None:
    """(codec, length of its byte-order mark) for UTF-16/UTF-32 bytes, else None.

    A header or declaration that says UTF-16 over bytes that are not is a common lie, so
    only the bytes decide."""
    for bom, codec in _WIDE_BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    head = data[:_WIDE_SAMPLE]
    if len(head) < _WIDE_SAMPLE:
        return None
    for size, nul_at, codec in _WIDE_PATTERNS:
        groups = [head[i:i + size] for i in range(0, len(head), size)]
        if all(
            (group[i] == 0) == (i in nul_at) for group in groups for i in range(size)
        ):
            return codec, 0
    return None


def _is_wide(codec: str | None) -> bool:
    return bool(codec) and codec.replace("_", "-").startswith(("utf-16", "utf-32"))


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _looks_korean(text: str) -> bool:
    """Enough Hangul among the non-ASCII characters to call a decode right."""
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    return non_ascii > 0 and len(_HANGUL.findall(text)) >= non_ascii * 0.5


def detect(data: bytes) -> tuple[str, str] | None:
    """(codec, text) when the bytes can be read with confidence, else None.

    Valid UTF-8 with non-ASCII bytes is near-certain (EUC-KR Hangul is never valid UTF-8);
    then CP949 when it decodes strictly into mostly Hangul; then charset-normalizer.
    """
    text = _strict(data, "utf-8")
    if text is not None:
        return "utf-8", text
    text = _strict(data, "cp949")
    if text is not None and _looks_korean(text):
        return "cp949", text
    best = from_bytes(data[:_DETECT_BYTES]).best()
    if best is None or best.chaos > 0.2:
        return None
    codec = normalise_charset(best.encoding) or best.encoding
    text = _strict(data, codec)
    return (codec, text) if text is not None else None


def decode_bytes(data: bytes, content_type: str | None = None) -> Decoded:
    """Decode a fetched or local document; never raises, never returns mojibake it could avoid."""
    wide = wide_encoding(data)
    if wide is not None:
        codec, bom = wide
        text = data[bom:].decode(codec, "replace")
        return Decoded(text, codec, charset_from_content_type(content_type),
                       "bom" if bom else "detected")
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(data[3:].decode("utf-8", "replace"), "utf-8", "utf-8", "bom")
    header, markup = charset_from_content_type(content_type), charset_from_markup(data)
    # Only the bytes above can make a document UTF-16/32; a label alone is not believed.
    declared = [c for c in (header, markup) if c and not _is_wide(c)]
    # ASCII-only bytes read the same in every charset we accept.
    if data.isascii():
        return Decoded(data.decode("ascii"), "ascii", declared[0] if declared else None, "declared")
    for codec in dict.fromkeys(declared):
        text = _strict(data, codec)
        if text is None:
            log.debug("declared charset %s does not fit the bytes", codec)
            continue
        if codec in ("utf-8", "utf_8"):
            return Decoded(text, codec, declared[0], "declared")
        # A clean decode in a legacy charset can still be wrong: valid UTF-8 with non-ASCII
        # bytes is UTF-8, and a single-byte charset accepts anything.
        if _strict(data, "utf-8") is not None:
            return Decoded(data.decode("utf-8"), "utf-8", declared[0], "detected")
        if codec in _SINGLE_BYTE:
            found = detect(data)
            if found and found[0] not in _SINGLE_BYTE:
                return Decoded(found[1], found[0], declared[0], "detected")
        return Decoded(text, codec, declared[0], "declared")
    found = detect(data)
    if found:
        return Decoded(found[1], found[0], declared[0] if declared else None, "detected")
    first = declared[0] if declared else None
    fallback = first or "utf-8"
    return Decoded(data.decode(fallback, "replace"), fallback, first, "fallback")


def looks_binary(data: bytes) -> bool:
    """True for images, archives and the like: a known magic number, or many NUL and
    control bytes up front. UTF-16/32 text is not binary, nor is text with a stray NUL."""
    head = data[:8192]
    if not head or wide_encoding(head) is not None:
        return False
    if head.startswith(_BINARY_MAGIC):
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(head) * 0.05
