"""A clock that cuts one HTTP request off at its deadline, whatever the server does.

httpx's timeouts count per read, so a server that sends a byte a second, or its headers a
byte at a time, is never timed out by them. A Watchdog is a timer thread: when the
deadline passes it shuts the request's socket down, which makes the blocked read return at
once. It learns the socket from httpcore's `trace` extension as the connection is made, so
it also covers the wait for the response headers and every redirect hop; the client must
not reuse connections (ingest.fetch.make_client), or a request could start on an old
socket the watchdog never saw.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

_CONNECTED = ("connection.connect_tcp.complete", "connection.start_tls.complete")


class Watchdog:
    def __init__(self, deadline: float) -> None:
        """`deadline` is a time.monotonic() value."""
        self.deadline = deadline
        self.fired = False
        self.receiving = False  # set by the fetch once the response headers are in
        self._socket: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._fire)
        self._timer.daemon = True

    def remaining(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def trace(self, event: str, info: dict[str, Any]) -> None:
        """The httpcore trace callback: remember each new connection's socket."""
        if event not in _CONNECTED:
            return
        stream = info.get("return_value")
        sock = stream.get_extra_info("socket") if stream is not None else None
        with self._lock:
            self._socket = sock
            fired = self.fired
        if fired:
            _shut(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            sock = self._socket
        _shut(sock)

    def __enter__(self) -> Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()


def _shut(sock: socket.socket | None) -> None:
    if sock is None:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed: the request is over anyway
