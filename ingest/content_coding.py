"""Content-Encoding undone while streaming, every layer's output counted and bounded.

httpx decodes each received chunk whole, so a few kilobytes of `Content-Encoding: gzip,
gzip` become gigabytes in one call before any size check sees them. Here each layer hands
on at most PIECE bytes at a time (zlib's max_length), every layer's running total is held
to the cap, and the cap is checked as the bytes come out, so memory stays near the cap
whatever the compression ratio or the number of layers.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

PIECE = 64 * 1024
# Layers we undo; a request announces exactly these in Accept-Encoding.
ACCEPTED = "gzip, deflate"
_GZIP = {"gzip", "x-gzip"}
_IDENTITY = {"", "identity"}
MAX_LAYERS = 4  # nobody compresses more than twice; more is an attack


class CodingError(Exception):
    """A body that cannot be decoded: unknown coding, too many layers, corrupt data."""


class TooLarge(Exception):
    """More decoded bytes than the cap, in some layer."""


class _Layer:
    """One gzip or deflate layer: bounded pieces out, members of a gzip stream in turn."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        self._inflater: zlib._Decompress | None = None
        self.produced = 0

    def _new(self, data: bytes) -> zlib._Decompress:
        if self.coding in _GZIP:
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        # 'deflate' is meant to be zlib-wrapped, but many servers send a raw stream.
        wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
        return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        while data:
            if self._inflater is None:
                self._inflater = self._new(data)
            inflater = self._inflater
            try:
                out = inflater.decompress(data, PIECE)
            except zlib.error as exc:
                raise CodingError(f"corrupt {self.coding} data ({exc})") from None
            data = inflater.unconsumed_tail
            if out:
                yield out
            if inflater.eof:
                # Another gzip member may follow; anything else after the end is ignored.
                rest = inflater.unused_data
                self._inflater = None
                data = rest if self.coding in _GZIP and rest[:2] == b"\x1f\x8b" else b""
            elif not out and not data:
                return

    def drain(self) -> Iterator[bytes]:
        """What the inflater still holds once all input is in (never a flush(), which would
        hand it over in one piece)."""
        while self._inflater is not None and not self._inflater.eof:
            out = self._inflater.decompress(b"", PIECE)
            if not out:
                return
            yield out


class BodyDecoder:
    """Feed raw chunks in, get decoded pieces out; raises TooLarge past `limit` bytes in
    any layer and CodingError for what it cannot decode."""

    def __init__(self, content_encoding: str, limit: int) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",")]
        codings = [c for c in codings if c not in _IDENTITY]
        if len(codings) > MAX_LAYERS:
            raise CodingError(f"{len(codings)} content encodings")
        unknown = [c for c in codings if c not in _GZIP and c != "deflate"]
        if unknown:
            raise CodingError(f"unsupported content encoding ({unknown[0]})")
        # The last coding listed was applied last, so it comes off first.
        self._layers = [_Layer(c) for c in reversed(codings)]
        self.limit = limit
        self.size = 0

    def _through(self, level: int, data: bytes) -> Iterator[bytes]:
        if level == len(self._layers):
            self.size += len(data)
            if self.size > self.limit:
                raise TooLarge()
            yield data
            return
        layer = self._layers[level]
        for piece in layer.feed(data):
            layer.produced += len(piece)
            if layer.produced > self.limit:
                raise TooLarge()
            yield from self._through(level + 1, piece)

    def feed(self, raw: bytes) -> Iterator[bytes]:
        yield from self._through(0, raw)

    def finish(self) -> Iterator[bytes]:
        for level, layer in enumerate(self._layers):
            for piece in layer.drain():
                layer.produced += len(piece)
                if layer.produced > self.limit:
                    raise TooLarge()
                yield from self._through(level + 1, piece)
