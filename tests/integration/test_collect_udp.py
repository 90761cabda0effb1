"""The UDP listener against a real sender on loopback."""

from __future__ import annotations

import argparse
import asyncio
import logging
import socket
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import zstandard

from mda.cli_collect import register
from mda.decode.tagblock import split_tag_block
from mda.sources.collect.landing import LandingWriter
from mda.sources.collect.layout import FeedKind
from mda.sources.collect.run import CollectRun, Limits, run_collection
from mda.sources.collect.udp import bind_udp, collect_udp

SAMPLES = Path(__file__).parents[1] / "fixtures/ais-samples"
BARE = [line for line in (SAMPLES / "pyais/nmea_data_sample.txt").read_bytes().splitlines() if line]
TAGGED = (SAMPLES / "kystverket/Ais1000Lines.nm4").read_bytes().splitlines()[:200]
WAIT_S = 30.0


def landed_lines(root: Path, source: str) -> list[bytes]:
    lines: list[bytes] = []
    for path in sorted((root / source).rglob("*.zst")):
        with path.open("rb") as handle:
            lines.extend(zstandard.ZstdDecompressor().stream_reader(handle).read().splitlines())
    return lines


def datagrams(lines: list[bytes]) -> list[bytes]:
    """Four lines a datagram, CRLF between them, every other datagram without a final line end."""
    out = []
    for n, i in enumerate(range(0, len(lines), 4)):
        out.append(b"\r\n".join(lines[i : i + 4]) + (b"\r\n" if n % 2 else b""))
    return out


def test_every_line_of_every_datagram_is_landed_and_bare_lines_are_stamped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    lines = [line for pair in zip(BARE[:200], TAGGED, strict=True) for line in pair] + BARE[200:]
    sock = bind_udp("127.0.0.1", 0)
    port = sock.getsockname()[1]
    writer = LandingWriter(tmp_path, "udp-test", FeedKind.NMEA)
    sender_error: list[BaseException] = []

    def send() -> None:
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as out:
                sent_lines = 0
                grams = datagrams(lines)
                for i in range(0, len(grams), 20):  # in steps the receive buffer always holds
                    for gram in grams[i : i + 20]:
                        out.sendto(gram, ("127.0.0.1", port))
                        sent_lines += gram.rstrip(b"\r\n").count(b"\r\n") + 1
                    deadline = time.monotonic() + WAIT_S
                    while writer.lines_total < sent_lines and time.monotonic() < deadline:
                        time.sleep(0.002)
        except BaseException as exc:
            sender_error.append(exc)

    async def collector(run: CollectRun) -> None:
        await collect_udp(run, sock)

    sender = threading.Thread(target=send, daemon=True)
    start = time.time()
    sender.start()
    summary = asyncio.run(
        run_collection(writer, collector, limits=Limits(max_lines=len(lines), max_seconds=WAIT_S))
    )
    end = time.time()
    sender.join(WAIT_S)
    assert not sender_error
    assert summary.lines == len(lines)
    restored = []
    for line in landed_lines(tmp_path, "udp-test"):
        if line in TAGGED:
            restored.append(line)
            continue
        block, original = split_tag_block(line)
        assert block is not None
        assert block.station == "udp-test"
        assert block.unix_s is not None
        assert int(start) <= block.unix_s <= end
        restored.append(original)
    assert Counter(restored) == Counter(lines)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]  # e.g. asyncio callback errors


def test_cli_udp_listener_stops_after_max_lines_with_exit_0(tmp_path: Path):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = threading.Event()

    def send_until_done() -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as out:
            while not done.wait(0.01):
                out.sendto(b"\r\n".join(TAGGED[:3]), ("127.0.0.1", port))

    sender = threading.Thread(target=send_until_done, daemon=True)
    sender.start()
    root = argparse.ArgumentParser(prog="mda")
    register(root.add_subparsers(dest="command", required=True))
    args = root.parse_args(
        ["collect", "udp", str(port), "--out", str(tmp_path), "--max-lines", "3", "--max-seconds", "20"]
    )
    try:
        code = args.func(args)
    finally:
        done.set()
        sender.join(WAIT_S)
    assert code == 0
    landed = landed_lines(tmp_path, f"udp-{port}")
    assert len(landed) >= 3
    assert len(landed) % 3 == 0
    assert set(landed) <= set(TAGGED[:3])
