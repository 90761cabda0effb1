"""The TCP collector against real loopback peers replaying the Kystverket sample."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import zstandard

from mda.sources.collect.backoff import Backoff
from mda.sources.collect.landing import LandingWriter
from mda.sources.collect.layout import FeedKind
from mda.sources.collect.manifest import read_manifest
from mda.sources.collect.run import CollectRun, CollectSummary, Limits, run_collection
from mda.sources.collect.tcp import collect_tcp

SAMPLE = Path(__file__).parents[1] / "fixtures/ais-samples/kystverket/Ais1000Lines.nm4"
LINES = SAMPLE.read_bytes().splitlines()
FAST = Backoff(initial_s=0.01, max_s=0.05)
WAIT_S = 30.0
MDA = [sys.executable, "-m", "mda.cli"]

Session = Callable[[socket.socket], None]


def send_lines(lines: list[bytes], tail: bytes = b"") -> Session:
    def session(conn: socket.socket) -> None:
        conn.sendall(b"".join(line + b"\r\n" for line in lines) + tail)

    return session


def hold(conn: socket.socket) -> None:
    """Keep the connection open until the collector closes it."""
    conn.settimeout(WAIT_S)
    try:
        while conn.recv(4096):
            pass
    except OSError:
        pass


class Peer:
    """A TCP server on 127.0.0.1 that plays one scripted session per accepted connection."""

    def __init__(self, *sessions: list[Session], listen: bool = True) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port: int = self.sock.getsockname()[1]
        self.sessions = sessions
        self.accepted = 0
        self.error: BaseException | None = None
        if listen:
            self.listen()

    def listen(self) -> None:
        self.sock.listen()
        self.sock.settimeout(WAIT_S)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            for steps in self.sessions:
                conn, _ = self.sock.accept()
                self.accepted += 1
                with conn:
                    for step in steps:
                        step(conn)
        except BaseException as exc:
            self.error = exc

    def close(self) -> None:
        self.thread.join(WAIT_S)
        self.sock.close()
        assert self.error is None, self.error


def landed_lines(root: Path, source: str = "kystverket") -> list[bytes]:
    lines: list[bytes] = []
    for path in sorted((root / source).rglob("*.zst")):
        with path.open("rb") as handle:
            lines.extend(zstandard.ZstdDecompressor().stream_reader(handle).read().splitlines())
    return lines


def collect(
    root: Path,
    port: int,
    limits: Limits,
    *,
    now: Callable[[], float] = time.time,
    messages: list[str] | None = None,
    writer_seen: list[LandingWriter] | None = None,
    idle_s: float = 120.0,
    progress_lines: int = 100_000,
) -> CollectSummary:
    writer = LandingWriter(root, "kystverket", FeedKind.NMEA, now=now)
    if writer_seen is not None:
        writer_seen.append(writer)

    async def collector(run: CollectRun) -> None:
        await collect_tcp(run, "127.0.0.1", port, backoff=FAST, idle_s=idle_s)

    say = messages.append if messages is not None else (lambda _: None)
    return asyncio.run(
        run_collection(writer, collector, limits=limits, say=say, progress_lines=progress_lines)
    )


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_S
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.01)


def test_forced_disconnect_mid_stream_lands_every_line_exactly_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    peer = Peer([send_lines(LINES[:437])], [send_lines(LINES[437:]), hold])
    messages: list[str] = []
    limits = Limits(max_lines=1000, max_seconds=WAIT_S)
    summary = collect(tmp_path, peer.port, limits, messages=messages, progress_lines=250)
    peer.close()
    assert Counter(landed_lines(tmp_path)) == Counter(LINES)
    assert summary.lines == 1000
    assert summary.stop_reason.startswith("1,000 lines landed")
    assert peer.accepted == 2
    assert sum("disconnected from" in m for m in messages) == 1
    assert len([m for m in messages if re.match(r"[\d,]+ lines landed \(", m)]) >= 2
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]  # e.g. asyncio callback errors


def test_line_cut_by_a_disconnect_is_landed_as_a_fragment_not_lost(tmp_path: Path):
    fragment = LINES[437][:20]
    peer = Peer([send_lines(LINES[:437], tail=fragment)], [send_lines(LINES[437:]), hold])
    collect(tmp_path, peer.port, Limits(max_lines=1001, max_seconds=WAIT_S))
    peer.close()
    assert Counter(landed_lines(tmp_path)) == Counter(LINES) + Counter([fragment])


def test_refused_connections_are_retried_until_the_feed_is_up(tmp_path: Path):
    peer = Peer([send_lines(LINES), hold], listen=False)
    messages: list[str] = []

    def open_after_refusals() -> None:
        wait_for(lambda: sum("cannot connect" in m for m in messages) >= 3, "three refusals")
        peer.listen()

    opener = threading.Thread(target=open_after_refusals, daemon=True)
    opener.start()
    collect(tmp_path, peer.port, Limits(max_lines=1000, max_seconds=WAIT_S), messages=messages)
    opener.join(WAIT_S)
    peer.close()
    assert landed_lines(tmp_path) == LINES
    refusals = [m for m in messages if "cannot connect" in m]
    assert all("reconnecting in" in m for m in refusals)


def test_silent_connection_is_dropped_and_reopened_after_the_idle_timeout(tmp_path: Path):
    peer = Peer([send_lines(LINES[:10]), hold], [send_lines(LINES[10:]), hold])
    messages: list[str] = []
    collect(tmp_path, peer.port, Limits(max_lines=1000, max_seconds=WAIT_S), messages=messages, idle_s=0.2)
    peer.close()
    assert landed_lines(tmp_path) == LINES
    assert peer.accepted == 2
    assert any("no data for 0.2 s" in m for m in messages)


def test_stream_crossing_an_hour_boundary_rotates_without_losing_lines(tmp_path: Path):
    clock_t = [dt.datetime(2026, 11, 24, 10, 59, 30, tzinfo=dt.UTC).timestamp()]
    writers: list[LandingWriter] = []

    def cross_the_hour(conn: socket.socket) -> None:
        wait_for(lambda: bool(writers) and writers[0].lines_total >= 500, "500 landed lines")
        clock_t[0] += 35.0  # 11:00:05

    peer = Peer([send_lines(LINES[:500]), cross_the_hour, send_lines(LINES[500:]), hold])
    collect(
        tmp_path,
        peer.port,
        Limits(max_lines=1000, max_seconds=WAIT_S),
        now=lambda: clock_t[0],
        writer_seen=writers,
    )
    peer.close()
    folder = tmp_path / "kystverket/2026/11/24"
    h10, h11 = folder / "kystverket-20261124T10.nmea.zst", folder / "kystverket-20261124T11.nmea.zst"
    assert landed_lines(tmp_path) == LINES
    with h10.open("rb") as a, h11.open("rb") as b:
        assert zstandard.ZstdDecompressor().stream_reader(a).read().splitlines() == LINES[:500]
        assert zstandard.ZstdDecompressor().stream_reader(b).read().splitlines() == LINES[500:]
    assert read_manifest(folder / "kystverket-20261124T10.manifest.json").lines == 500
    assert read_manifest(folder / "kystverket-20261124T11.manifest.json").lines == 500


def partial_lines(root: Path) -> int:
    return sum(p.read_bytes().count(b"\n") for p in (root / "kystverket").rglob("*.partial"))


def wait_for_lines(proc: subprocess.Popen[bytes], root: Path, lines: int) -> None:
    """Wait until the open hour holds ``lines`` lines; fail at once if the collector exits."""
    wait_for(lambda: partial_lines(root) >= lines or proc.poll() is not None, f"{lines} landed lines")
    if proc.poll() is not None:
        _, stderr = proc.communicate()
        pytest.fail(f"the collector exited with {proc.returncode}: {stderr.decode()}")


def start_cli(out: Path, port: int, *extra: str) -> subprocess.Popen[bytes]:
    argv = ["collect", "tcp", f"127.0.0.1:{port}", "--out", str(out), "--source", "kystverket"]
    return subprocess.Popen(
        [*MDA, *argv, "--backoff-max", "0.2", "--max-seconds", "60", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_sigterm_mid_stream_finalises_the_open_hour_and_exits_0(tmp_path: Path):
    data = b"".join(line + b"\n" for line in LINES * 20)
    sent = bytearray()

    def stream_until_closed(conn: socket.socket) -> None:
        try:
            for i in range(0, len(data), 1000):  # chunks end mid-line
                conn.sendall(data[i : i + 1000])
                sent.extend(data[i : i + 1000])
                time.sleep(0.001)  # a steady feed, so SIGTERM arrives mid-stream
        except OSError:
            pass

    peer = Peer([stream_until_closed, hold])
    proc = start_cli(tmp_path, peer.port)
    try:
        wait_for_lines(proc, tmp_path, 3000)
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=WAIT_S)
    finally:
        proc.kill()
    peer.close()
    assert proc.returncode == 0, stderr.decode()
    assert b"stopped (SIGTERM)" in stderr
    assert not list(tmp_path.rglob("*.partial"))
    landed = landed_lines(tmp_path)
    sent_lines = bytes(sent).split(b"\n")
    complete = len(landed) if landed[-1] == sent_lines[len(landed) - 1] else len(landed) - 1
    assert 3000 <= complete < len(LINES) * 20
    assert landed[:complete] == sent_lines[:complete]
    if complete < len(landed):  # SIGTERM came in the middle of a line: its first part is kept
        # a fragment cut inside its tag block has no complete time tag, so it gets a stamp
        fragment = re.sub(rb"^\\c:\d+,s:kystverket\*[0-9A-F]{2}\\", b"", landed[-1])
        assert sent_lines[complete].startswith(fragment)
    manifests = [read_manifest(p) for p in tmp_path.rglob("*.manifest.json")]
    assert sum(m.lines for m in manifests) == len(landed)


def test_restart_after_kill_9_finalises_the_leftover_partial_file(tmp_path: Path):
    peer = Peer([send_lines(LINES[:400]), hold], [send_lines(LINES[400:]), hold])
    first = start_cli(tmp_path, peer.port)
    try:
        wait_for_lines(first, tmp_path, 400)
        first.kill()
        first.wait(WAIT_S)
    finally:
        first.kill()
    assert first.returncode == -signal.SIGKILL
    assert list(tmp_path.rglob("*.partial"))
    second = start_cli(tmp_path, peer.port, "--max-lines", "600")
    try:
        _, stderr = second.communicate(timeout=WAIT_S)
    finally:
        second.kill()
    peer.close()
    assert second.returncode == 0, stderr.decode()
    assert b"recovered kystverket-" in stderr
    assert not list(tmp_path.rglob("*.partial"))
    assert Counter(landed_lines(tmp_path)) == Counter(LINES)
    manifests = sorted((read_manifest(p) for p in tmp_path.rglob("*.manifest.json")), key=lambda m: m.open_s)
    assert [(m.lines, m.recovered) for m in manifests] == [(400, True), (600, False)]
