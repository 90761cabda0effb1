"""The aisstream.io client against a real WebSocket server on loopback speaking its protocol."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import random
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import zstandard
from websockets.asyncio.server import Server, ServerConnection, serve

from mda.cli_collect import register
from mda.sources.collect.aisstream import TAIWAN_STRAIT, AisstreamError, Subscription, collect_aisstream
from mda.sources.collect.backoff import Backoff
from mda.sources.collect.landing import LandingWriter
from mda.sources.collect.layout import FeedKind
from mda.sources.collect.run import CollectRun, Limits, run_collection

KEY = "k3y-SECRET-42"
FAST = Backoff(initial_s=0.01, max_s=0.05)
WAIT_S = 30.0
T0 = dt.datetime(2026, 11, 24, 3, 0, 0, tzinfo=dt.UTC)
PEER_LOG = logging.getLogger("fake_aisstream")  # the fake server's own log, which sees the key


def go_time(t: dt.datetime, nanos: int) -> str:
    """aisstream.io's ``time_utc``: Go's default time format with nanoseconds."""
    return f"{t:%Y-%m-%d %H:%M:%S}.{t.microsecond:06d}{nanos:03d} +0000 UTC"


def meta(mmsi: int, name: str, lat: float, lon: float, t: dt.datetime, nanos: int) -> dict[str, Any]:
    return {
        "MMSI": mmsi,
        "MMSI_String": mmsi,
        "ShipName": name.ljust(20),
        "latitude": lat,
        "longitude": lon,
        "time_utc": go_time(t, nanos),
    }


def position_report(mmsi: int, lat: float, lon: float, t: dt.datetime, rng: random.Random) -> dict[str, Any]:
    return {
        "Message": {
            "PositionReport": {
                "Cog": round(rng.uniform(0, 359.9), 1),
                "CommunicationState": rng.randrange(1 << 19),
                "Latitude": lat,
                "Longitude": lon,
                "MessageID": 1,
                "NavigationalStatus": 0,
                "PositionAccuracy": False,
                "Raim": False,
                "RateOfTurn": -128,
                "RepeatIndicator": 0,
                "Sog": round(rng.uniform(0, 18), 1),
                "Spare": 0,
                "SpecialManoeuvreIndicator": 0,
                "Timestamp": t.second,
                "TrueHeading": 511,
                "UserID": mmsi,
                "Valid": True,
            }
        },
        "MessageType": "PositionReport",
        "MetaData": meta(mmsi, "", lat, lon, t, rng.randrange(1000)),
    }


def static_data(mmsi: int, name: str, lat: float, lon: float, t: dt.datetime) -> dict[str, Any]:
    return {
        "Message": {
            "ShipStaticData": {
                "AisVersion": 1,
                "CallSign": "BR3456",
                "Destination": "KAOHSIUNG",
                "Dimension": {"A": 150, "B": 30, "C": 14, "D": 14},
                "Dte": False,
                "Eta": {"Day": 25, "Hour": 8, "Minute": 30, "Month": 11},
                "FixType": 1,
                "ImoNumber": 9400000 + mmsi % 100000,
                "MaximumStaticDraught": 9.6,
                "MessageID": 5,
                "Name": name,
                "RepeatIndicator": 0,
                "Spare": False,
                "Type": 70,
                "UserID": mmsi,
                "Valid": True,
            }
        },
        "MessageType": "ShipStaticData",
        "MetaData": meta(mmsi, name, lat, lon, t, 0),
    }


def traffic() -> list[bytes]:
    """Compact JSON as aisstream.io sends it: strait traffic plus some far outside the strait."""
    rng = random.Random(3)
    messages = []
    for i in range(120):
        t = T0 + dt.timedelta(seconds=i, microseconds=rng.randrange(10**6))
        mmsi = rng.choice([416001234, 416004567, 412345678, 413998877, 477123400])
        if i % 10 == 9:  # off Tokyo, outside the subscription
            lat, lon = 35.4 + rng.random() / 10, 139.8 + rng.random() / 10
        else:
            lat, lon = 22.0 + 4 * rng.random(), 118.0 + 3 * rng.random()
        message = position_report(mmsi, lat, lon, t, rng)
        if i % 15 == 0:
            message = static_data(mmsi, f"STRAIT TRADER {i}", lat, lon, t)
        messages.append(json.dumps(message, separators=(",", ":")).encode())
    return messages


def inside(message: bytes, boxes: list[list[list[float]]]) -> bool:
    md = json.loads(message)["MetaData"]
    for (lat1, lon1), (lat2, lon2) in boxes:
        if min(lat1, lat2) <= md["latitude"] <= max(lat1, lat2) and min(lon1, lon2) <= md["longitude"] <= max(
            lon1, lon2
        ):
            return True
    return False


class FakeAisstream:
    """Speaks aisstream.io's protocol: subscription within 3 s, key check, filtered stream.

    The first ``cut`` matching messages go out on the first connection, which is then closed
    abruptly (no close frame); later connections get the rest and stay open.
    """

    def __init__(self, messages: list[bytes], key: str, cut: int, echo_key_in_error: bool = False) -> None:
        self.messages = messages
        self.key = key
        self.cut = cut
        self.echo_key_in_error = echo_key_in_error
        self.subscriptions: list[dict[str, Any]] = []
        self.connections = 0
        self.next = 0

    async def handler(self, ws: ServerConnection) -> None:
        self.connections += 1
        try:
            raw = await asyncio.wait_for(ws.recv(), 3.0)
        except TimeoutError:
            await ws.close(1008, "no subscription within 3 s")
            return
        sub = json.loads(raw)
        self.subscriptions.append(sub)
        if sub.get("APIKey") != self.key:
            text = (
                f"Api Key {sub.get('APIKey')} Is Not Valid"
                if self.echo_key_in_error
                else "Api Key Is Not Valid"
            )
            await ws.send(json.dumps({"error": text}))
            await ws.close()
            return
        boxes = sub.get("BoundingBoxes")
        if not boxes or any(not -90 <= corner[0] <= 90 for box in boxes for corner in box):
            await ws.send(json.dumps({"error": "Subscription Object Is Malformed"}))
            await ws.close()
            return
        wanted = [m for m in self.messages if inside(m, boxes)]
        types = sub.get("FilterMessageTypes")
        if types:
            wanted = [m for m in wanted if json.loads(m)["MessageType"] in types]
        first = self.connections == 1
        stop = self.cut if first else len(wanted)
        while self.next < stop:
            await ws.send(wanted[self.next], text=True)
            self.next += 1
        if first:
            transport = ws.transport
            for _ in range(1000):
                if not transport.get_write_buffer_size():
                    break
                await asyncio.sleep(0.001)
            transport.close()  # forced close mid-stream: no close frame
            return
        await ws.wait_closed()


def landed_lines(root: Path, source: str) -> list[bytes]:
    lines: list[bytes] = []
    for path in sorted((root / source).rglob("*.jsonl.zst")):
        with path.open("rb") as handle:
            lines.extend(zstandard.ZstdDecompressor().stream_reader(handle).read().splitlines())
    return lines


async def _collect(root: Path, url: str, subscription: Subscription, limits: Limits, say: Any) -> None:
    writer = LandingWriter(root, "aisstream", FeedKind.JSONL)

    async def collector(run: CollectRun) -> None:
        await collect_aisstream(run, url, subscription, backoff=FAST, proxy=None)

    await run_collection(writer, collector, limits=limits, say=say)


def test_messages_land_as_received_exactly_once_across_a_forced_close(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    messages = traffic()
    strait = [[list(TAIWAN_STRAIT[0]), list(TAIWAN_STRAIT[1])]]
    expected = [m for m in messages if inside(m, strait)]
    assert 0 < len(expected) < len(messages)
    server = FakeAisstream(messages, KEY, cut=41)
    said: list[str] = []

    async def scenario() -> None:
        async with serve(server.handler, "127.0.0.1", 0, logger=PEER_LOG) as ws_server:
            port = ws_server.sockets[0].getsockname()[1]
            url = f"ws://127.0.0.1:{port}/v0/stream"
            limits = Limits(max_lines=len(expected), max_seconds=WAIT_S)
            await _collect(tmp_path, url, Subscription(KEY), limits, said.append)

    asyncio.run(scenario())
    assert Counter(landed_lines(tmp_path, "aisstream")) == Counter(expected)
    assert server.connections == 2
    assert server.subscriptions == [
        {"APIKey": KEY, "BoundingBoxes": [[[21.0, 116.0], [27.0, 123.0]]]},
        {"APIKey": KEY, "BoundingBoxes": [[[21.0, 116.0], [27.0, 123.0]]]},
    ]
    assert sum("disconnected from" in m for m in said) == 1
    assert not any(KEY in m for m in said)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR and r.name != PEER_LOG.name]


def test_subscription_lists_boxes_latitude_first_and_optional_message_types():
    sub = Subscription(
        KEY, (((21.5, 117.0), (25.0, 120.5)), ((24.0, 118.0), (24.6, 118.6))), ("PositionReport",)
    )
    assert json.loads(sub.to_json()) == {
        "APIKey": KEY,
        "BoundingBoxes": [[[21.5, 117.0], [25.0, 120.5]], [[24.0, 118.0], [24.6, 118.6]]],
        "FilterMessageTypes": ["PositionReport"],
    }
    assert KEY not in repr(sub)


class ServerThread:
    """A FakeAisstream served from its own event loop, for commands that run their own loop."""

    def __init__(self, server: FakeAisstream) -> None:
        self.server = server
        self.ready = threading.Event()
        self.port = 0
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_until_complete, args=(self._main(),), daemon=True)
        self.stop: asyncio.Event | None = None

    async def _main(self) -> None:
        self.stop = asyncio.Event()
        ws_server: Server
        async with serve(self.server.handler, "127.0.0.1", 0, logger=PEER_LOG) as ws_server:
            self.port = ws_server.sockets[0].getsockname()[1]
            self.ready.set()
            await asyncio.wait_for(self.stop.wait(), WAIT_S)

    def __enter__(self) -> ServerThread:
        self.thread.start()
        assert self.ready.wait(WAIT_S)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.stop is not None
        self.loop.call_soon_threadsafe(self.stop.set)
        self.thread.join(WAIT_S)
        self.loop.close()


def test_invalid_key_is_one_line_error_without_retry_and_the_key_never_shows(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("MDA_AISSTREAM_API_KEY", KEY)
    fake = FakeAisstream(traffic(), key="the-right-key", cut=10, echo_key_in_error=True)
    root = argparse.ArgumentParser(prog="mda")
    register(root.add_subparsers(dest="command", required=True))
    with ServerThread(fake) as server:
        url = f"ws://127.0.0.1:{server.port}/v0/stream"
        args = root.parse_args(
            ["collect", "aisstream", "--out", str(tmp_path), "--url", url, "--max-seconds", "20"]
        )
        code = args.func(args)
    out, err = capsys.readouterr()
    assert code == 1
    assert (
        err.splitlines()[-1] == "mda: error: aisstream.io refused the subscription: Api Key *** Is Not Valid"
    )
    assert fake.connections == 1
    assert fake.subscriptions[0]["APIKey"] == KEY
    assert KEY not in out + err
    ours = [r for r in caplog.records if r.name != PEER_LOG.name]
    assert any(r.name == PEER_LOG.name and KEY in r.getMessage() for r in caplog.records)  # it was there
    assert ours
    assert not [r for r in ours if KEY in r.getMessage()]


def test_refusal_raises_an_error_that_does_not_contain_the_key(tmp_path: Path):
    fake = FakeAisstream(traffic(), key="the-right-key", cut=10, echo_key_in_error=True)

    async def scenario() -> None:
        async with serve(fake.handler, "127.0.0.1", 0, logger=PEER_LOG) as ws_server:
            url = f"ws://127.0.0.1:{ws_server.sockets[0].getsockname()[1]}"
            await _collect(tmp_path, url, Subscription(KEY), Limits(max_seconds=WAIT_S), lambda _: None)

    with pytest.raises(AisstreamError) as caught:
        asyncio.run(scenario())
    assert KEY not in str(caught.value)
    assert "***" in str(caught.value)
    assert landed_lines(tmp_path, "aisstream") == []
