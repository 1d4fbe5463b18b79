"""cnnnotes.experiments.training.rayprobe: an unanswered address fails in one line, in seconds."""

from __future__ import annotations

import socket

import pytest

from cnnnotes.experiments.training import rayprobe
from cnnnotes.experiments.training.rayprobe import ProbeError, parse_address, probe, resolve_address


class _Peer:
    """A connected socket whose peer answers with ``reply``."""

    def __init__(self, reply: bytes) -> None:
        self.reply, self.sent = reply, b""

    def __enter__(self) -> _Peer:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def sendall(self, data: bytes) -> None:
        self.sent += data

    def recv(self, n: int) -> bytes:
        chunk, self.reply = self.reply[:n], self.reply[n:]
        return chunk


#: What Ray's gRPC server sends first: a SETTINGS frame (type 4) with one setting.
SETTINGS = bytes([0, 0, 6, 4, 0, 0, 0, 0, 0]) + bytes([0, 3, 0, 0, 0, 100])


def _connection(outcome: BaseException | None, reply: bytes = SETTINGS):
    calls: list[tuple[tuple[str, int], float]] = []

    def create_connection(address: tuple[str, int], timeout: float):
        calls.append((address, timeout))
        if outcome is not None:
            raise outcome
        return _Peer(reply)

    return create_connection, calls


def test_a_peer_that_is_no_grpc_server_is_named_as_such(monkeypatch) -> None:
    fake, _ = _connection(None, reply=b"HTTP/1.1 400 Bad Request\r\n\r\n")
    monkeypatch.setattr(rayprobe.socket, "create_connection", fake)
    with pytest.raises(ProbeError, match=r"something answers, but not a Ray head \(no gRPC\)"):
        probe("10.0.0.5:80")


def test_a_head_that_accepts_passes_with_one_connection(monkeypatch) -> None:
    fake, calls = _connection(None)
    monkeypatch.setattr(rayprobe.socket, "create_connection", fake)
    probe("10.0.0.5:6379")
    assert calls == [(("10.0.0.5", 6379), rayprobe.PROBE_TIMEOUT_S)]


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (ConnectionRefusedError(111, "Connection refused"), "connection refused"),
        (TimeoutError(), "no answer within 5 s"),
        (socket.gaierror(-2, "Name or service not known"), "unknown host"),
        (OSError(113, "No route to host"), "no route to host"),
    ],
    ids=["refused", "timeout", "dns", "unreachable"],
)
def test_nothing_answering_is_one_line_naming_the_address(monkeypatch, error, reason) -> None:
    fake, _ = _connection(error)
    monkeypatch.setattr(rayprobe.socket, "create_connection", fake)
    with pytest.raises(ProbeError) as info:
        probe("head.example:6379", "--address head.example:6379")
    message = str(info.value)
    assert message.startswith("--address head.example:6379: no Ray cluster answers at ")
    assert reason in message and "\n" not in message


def test_a_closed_loopback_port_fails_at_once() -> None:
    with socket.socket() as s:  # a port that was free a moment ago: nobody listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(ProbeError, match="connection refused"):
        probe(f"127.0.0.1:{port}")


@pytest.mark.parametrize(
    ("address", "expected"),
    [("127.0.0.1:6379", ("127.0.0.1", 6379)), ("ray://head:10001", ("head", 10001)),
     ("[::1]:6379", ("::1", 6379))],
)  # fmt: skip
def test_addresses_parse_with_or_without_a_scheme(address, expected) -> None:
    assert parse_address(address) == expected


@pytest.mark.parametrize("address", ["head", "head:port", ":6379", "head:99999"])
def test_a_malformed_address_is_one_line(address: str) -> None:
    with pytest.raises(ProbeError, match="expected HOST:PORT"):
        parse_address(address)


def test_ray_address_is_honoured_and_named_when_no_address_is_given(monkeypatch) -> None:
    monkeypatch.setenv("RAY_ADDRESS", "10.0.0.5:6379")
    assert resolve_address(None) == ("10.0.0.5:6379", "RAY_ADDRESS=10.0.0.5:6379")
    assert resolve_address("h:1") == ("h:1", "--address h:1")
    monkeypatch.delenv("RAY_ADDRESS")
    assert resolve_address(None) == (None, "")
