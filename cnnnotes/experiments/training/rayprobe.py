"""A pre-flight check of a Ray cluster's address: fail in seconds, not after Ray's retries.

``ray.init(address=...)`` retries an address nobody answers at for minutes (824 s
measured for ``127.0.0.1:1``) while printing a warning a second. :func:`probe`
opens one TCP connection to the address first, with a short time limit, sends the
HTTP/2 preface Ray's gRPC server answers with a SETTINGS frame, and says in one
line what answered (or did not).
"""

from __future__ import annotations

import os
import socket
import time
from urllib.parse import urlsplit

from cnnnotes.errors import CnnnotesError

__all__ = ["PROBE_TIMEOUT_S", "ProbeError", "parse_address", "probe", "resolve_address"]

#: Seconds to wait for the head to accept a connection.
PROBE_TIMEOUT_S = 5.0
#: Addresses Ray resolves itself (a running local instance): nothing to probe.
_SPECIAL = ("auto", "local")


class ProbeError(CnnnotesError):
    """The Ray address is malformed, or nothing answers at it."""


def resolve_address(address: str | None) -> tuple[str | None, str]:
    """The address to use and how to name it: ``--address``, else ``$RAY_ADDRESS``, else none.

    Ray itself reads ``RAY_ADDRESS`` when no address is given, and then refused
    the options of a private instance with a message about ``num_cpus``; naming it
    here makes it an address like any other.
    """
    if address:
        return address, f"--address {address}"
    env = os.environ.get("RAY_ADDRESS", "").strip()
    if env:
        return env, f"RAY_ADDRESS={env}"
    return None, ""


def parse_address(address: str, shown: str = "") -> tuple[str, int]:
    """``(host, port)`` of ``HOST:PORT`` or ``ray://HOST:PORT`` (IPv6 in brackets)."""
    shown = shown or address
    text = address if "://" in address else f"//{address}"
    try:
        parts = urlsplit(text)
        host, port = parts.hostname, parts.port
    except ValueError:
        host, port = None, None
    if not host or port is None:
        raise ProbeError(f"{shown}: expected HOST:PORT (e.g. 127.0.0.1:6379)")
    return host, port


#: What an HTTP/2 client sends first: the preface and an empty SETTINGS frame.
_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + bytes([0, 0, 0, 4, 0, 0, 0, 0, 0])


def _speaks_grpc(conn: socket.socket) -> bool:
    """Whether the peer answers an HTTP/2 preface with a SETTINGS frame, as Ray's gRPC does."""
    conn.sendall(_PREFACE)
    head = b""
    while len(head) < 9 and (chunk := conn.recv(9 - len(head))):
        head += chunk
    return len(head) == 9 and head[3] == 4  # frame type 4: SETTINGS


def probe(address: str, shown: str = "", timeout: float = PROBE_TIMEOUT_S) -> None:
    """Connect to ``address`` once; raise :class:`ProbeError` in one line if nothing answers.

    ``shown`` names where the address came from (``--address …`` or ``RAY_ADDRESS=…``).
    """
    if address in _SPECIAL:
        return
    shown = shown or address
    host, port = parse_address(address, shown)
    start = time.monotonic()
    try:
        with socket.create_connection((host, port), timeout=timeout) as conn:
            if _speaks_grpc(conn):
                return
            reason = "something answers, but not a Ray head (no gRPC)"
    except TimeoutError:
        reason = f"no answer within {timeout:.0f} s"
    except socket.gaierror as exc:
        reason = f"unknown host ({exc.strerror})"
    except OSError as exc:
        reason = (exc.strerror or type(exc).__name__).lower()
    seconds = time.monotonic() - start
    raise ProbeError(
        f"{shown}: no Ray cluster answers at {host}:{port} ({reason}, after {seconds:.1f} s); "
        "start its head with `ray start --head --port=PORT`, or leave out the address to "
        "start a local instance"
    )
