from __future__ import annotations

import datetime as dt
import json
import os
import stat
from pathlib import Path

import pytest
import zstandard

from mda.sources.collect.errors import CollectError
from mda.sources.collect.landing import LandingWriter
from mda.sources.collect.layout import FeedKind, HourFiles, check_source
from mda.sources.collect.manifest import find_landed, read_manifest
from mda.sources.collect.stamp import time_tag

# 2026-11-24T10:59:58Z
T0 = dt.datetime(2026, 11, 24, 10, 59, 58, tzinfo=dt.UTC).timestamp()
HOUR10 = int(dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC).timestamp())
HOUR11 = HOUR10 + 3600
TAGGED = b"\\c:1565218798*53\\!BSVDM,1,1,,A,13mb9U0P00PRk8fT5nw>4?wj2006,0*5D"
BARE = b"!AIVDM,1,1,,B,15M67FC000G?ufbE`FepT@3n00Sa,0*5C"


class Clock:
    def __init__(self, t: float) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t


def unpack(path: Path) -> list[bytes]:
    with path.open("rb") as handle:
        data = zstandard.ZstdDecompressor().stream_reader(handle).read()
    assert data.endswith(b"\n") or not data
    return data.split(b"\n")[:-1]


def files(root: Path, hour: int, seq: int = 0, source: str = "feed") -> HourFiles:
    return HourFiles(root, source, hour, seq, FeedKind.NMEA)


def test_lines_rotate_into_the_file_of_their_receive_hour(tmp_path: Path):
    clock = Clock(T0)
    with LandingWriter(tmp_path, "feed", FeedKind.NMEA, now=clock) as writer:
        writer.write_lines([TAGGED, TAGGED])
        clock.t = T0 + 1.5  # 10:59:59.5
        writer.write_lines([TAGGED])
        clock.t = T0 + 2.25  # 11:00:00.25
        writer.write_lines([TAGGED, TAGGED, TAGGED])
        clock.t = T0 + 3
    h10, h11 = files(tmp_path, HOUR10), files(tmp_path, HOUR11)
    assert h10.final == tmp_path / "feed/2026/11/24/feed-20261124T10.nmea.zst"
    assert unpack(h10.final) == [TAGGED] * 3
    assert unpack(h11.final) == [TAGGED] * 3
    m10, m11 = read_manifest(h10.manifest), read_manifest(h11.manifest)
    assert (m10.lines, m11.lines) == (3, 3)
    assert (m10.open_s, m10.close_s) == (T0, HOUR11)
    assert (m11.open_s, m11.close_s) == (HOUR11, T0 + 3)
    assert (m10.first_receive_s, m10.last_receive_s) == (T0, T0 + 1.5)
    assert (m11.first_receive_s, m11.last_receive_s) == (T0 + 2.25, T0 + 2.25)
    assert not m10.recovered
    assert m10.file == h10.final.name
    assert not list(tmp_path.rglob("*.partial"))
    assert not list(tmp_path.rglob("*.open.json"))


def test_lines_without_a_time_are_stamped_with_receive_second_and_source(tmp_path: Path):
    clock = Clock(T0 + 0.75)
    with LandingWriter(tmp_path, "feed", FeedKind.NMEA, now=clock) as writer:
        writer.write_lines([BARE, TAGGED, b"", b"junk"])
    tag = time_tag(int(T0), "feed")
    assert unpack(files(tmp_path, HOUR10).final) == [tag + BARE, TAGGED, tag + b"junk"]


def test_json_lines_are_written_as_given(tmp_path: Path):
    message = b'{"MessageType":"PositionReport","MetaData":{"MMSI":416000001}}'
    with LandingWriter(tmp_path, "aisstream", FeedKind.JSONL, now=Clock(T0)) as writer:
        writer.write_lines([message])
    final = HourFiles(tmp_path, "aisstream", HOUR10, 0, FeedKind.JSONL).final
    assert final.name == "aisstream-20261124T10.jsonl.zst"
    assert unpack(final) == [message]


def test_open_hour_is_readable_plain_text_while_collecting(tmp_path: Path):
    writer = LandingWriter(tmp_path, "feed", FeedKind.NMEA, now=Clock(T0))
    writer.start()
    try:
        writer.write_lines([TAGGED])
        partial = files(tmp_path, HOUR10).partial
        assert partial.read_bytes() == TAGGED + b"\n"
        assert not files(tmp_path, HOUR10).final.exists()
    finally:
        writer.close()


def test_final_files_are_read_only_and_restart_writes_a_sequence_file(tmp_path: Path):
    clock = Clock(T0)
    with LandingWriter(tmp_path, "feed", FeedKind.NMEA, now=clock) as writer:
        writer.write_lines([TAGGED])
    first = files(tmp_path, HOUR10)
    before = first.final.read_bytes()
    assert not first.final.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    clock.t = T0 + 1
    with LandingWriter(tmp_path, "feed", FeedKind.NMEA, now=clock) as writer:
        writer.write_lines([BARE])
    second = files(tmp_path, HOUR10, seq=1)
    assert second.final.name == "feed-20261124T10.1.nmea.zst"
    assert second.manifest.name == "feed-20261124T10.1.manifest.json"
    assert first.final.read_bytes() == before
    assert unpack(second.final) == [time_tag(int(T0 + 1), "feed") + BARE]
    assert read_manifest(second.manifest).sequence == 1


def test_hour_without_lines_still_gets_an_empty_file_and_manifest(tmp_path: Path):
    clock = Clock(T0)
    with LandingWriter(tmp_path, "feed", FeedKind.NMEA, now=clock) as writer:
        clock.t = T0 + 5
        done = writer.tick()
        clock.t = T0 + 6
        writer.write_lines([TAGGED])
    assert [m.hour_s for m in done] in ([], [HOUR10])
    m10 = read_manifest(files(tmp_path, HOUR10).manifest)
    assert m10.lines == 0
    assert m10.first_receive_s is None
    assert m10.last_receive_s is None
    assert unpack(files(tmp_path, HOUR10).final) == []
    assert read_manifest(files(tmp_path, HOUR11).manifest).lines == 1


def test_clock_stepping_back_keeps_lines_in_the_open_hour(tmp_path: Path):
    clock = Clock(T0 + 3)  # 11:00:01
    with LandingWriter(tmp_path, "feed", FeedKind.NMEA, now=clock) as writer:
        writer.write_lines([TAGGED])
        clock.t = T0  # 10:59:58, an NTP step back
        writer.write_lines([TAGGED])
        writer.tick()
        clock.t = T0 + 4
    assert unpack(files(tmp_path, HOUR11).final) == [TAGGED, TAGGED]
    assert not files(tmp_path, HOUR10).final.exists()


def test_second_writer_for_the_same_source_is_refused(tmp_path: Path):
    with LandingWriter(tmp_path, "feed", FeedKind.NMEA, now=Clock(T0)):
        other = LandingWriter(tmp_path, "feed", FeedKind.NMEA, now=Clock(T0))
        with pytest.raises(CollectError, match="another collector is writing source 'feed'"):
            other.start()
        with LandingWriter(tmp_path, "other", FeedKind.NMEA, now=Clock(T0)) as third:
            third.write_lines([TAGGED])


def _leave_partial(
    root: Path, hour: int, seq: int, data: bytes, record: dict[str, object] | None
) -> HourFiles:
    left = files(root, hour, seq)
    left.folder.mkdir(parents=True, exist_ok=True)
    if record is not None:
        left.open_record.write_text(json.dumps(record))
    left.partial.write_bytes(data)
    os.utime(left.partial, (HOUR10 + 1800.5, HOUR10 + 1800.5))
    return left


def test_start_finalises_a_leftover_partial_file_without_losing_lines(tmp_path: Path):
    record = {"open_utc": "2026-11-24T10:05:00Z", "first_receive_utc": "2026-11-24T10:05:01Z"}
    # the last line was cut short when the process died
    left = _leave_partial(tmp_path, HOUR10, 0, TAGGED + b"\n" + BARE + b"\n!AIVDM,1,1", record)
    clock = Clock(T0)
    with LandingWriter(tmp_path, "feed", FeedKind.NMEA, now=clock) as writer:
        assert [m.file for m in writer.recovered] == [left.final.name]
        writer.write_lines([TAGGED])
    assert unpack(left.final) == [TAGGED, BARE, b"!AIVDM,1,1"]
    manifest = read_manifest(left.manifest)
    assert manifest.recovered
    assert manifest.lines == 3
    assert manifest.open_s == HOUR10 + 300
    assert manifest.first_receive_s == HOUR10 + 301
    assert manifest.close_s == manifest.last_receive_s == HOUR10 + 1800.5
    assert not left.partial.exists()
    assert not left.open_record.exists()
    assert unpack(files(tmp_path, HOUR10, seq=1).final) == [TAGGED]


def test_recovery_keeps_a_data_file_published_before_the_crash(tmp_path: Path):
    with LandingWriter(tmp_path, "feed", FeedKind.NMEA, now=Clock(T0)) as writer:
        writer.write_lines([TAGGED, TAGGED])
    done = files(tmp_path, HOUR10)
    published = done.final.read_bytes()
    # the crash came after the data file was published, before the manifest was written
    done.manifest.unlink()
    _leave_partial(tmp_path, HOUR10, 0, TAGGED + b"\n" + TAGGED + b"\n", None)
    with LandingWriter(tmp_path, "feed", FeedKind.NMEA, now=Clock(T0)) as writer:
        assert [m.lines for m in writer.recovered] == [2]
    assert done.final.read_bytes() == published
    assert read_manifest(done.manifest).lines == 2
    assert not done.partial.exists()


def test_find_landed_lists_final_hours_of_the_interval_in_order(tmp_path: Path):
    clock = Clock(T0)
    with LandingWriter(tmp_path, "feed", FeedKind.NMEA, now=clock) as writer:
        writer.write_lines([TAGGED])
        clock.t = T0 + 3
        writer.write_lines([TAGGED])
    with LandingWriter(tmp_path, "feed", FeedKind.NMEA, now=clock) as writer:
        writer.write_lines([BARE])
    start = dt.datetime(2026, 11, 24, 11, tzinfo=dt.UTC)
    found = find_landed(tmp_path, "feed", start, start + dt.timedelta(hours=1))
    assert [(f.manifest.hour_s, f.manifest.sequence) for f in found] == [(HOUR11, 0), (HOUR11, 1)]
    assert all(f.data.exists() for f in found)
    whole_day = find_landed(
        tmp_path, "feed", start.replace(hour=0), start.replace(hour=0) + dt.timedelta(days=1)
    )
    assert [f.manifest.hour_s for f in whole_day] == [HOUR10, HOUR11, HOUR11]


@pytest.mark.parametrize("name", ["", "a.b", "-x", "a/b", "x" * 65, "a,b", "a*b"])
def test_source_names_that_break_paths_or_tag_blocks_are_rejected(name: str):
    with pytest.raises(CollectError, match="invalid source name"):
        check_source(name)


def test_a_line_containing_lf_is_refused(tmp_path: Path):
    with (
        LandingWriter(tmp_path, "feed", FeedKind.JSONL, now=Clock(T0)) as writer,
        pytest.raises(ValueError, match="LF"),
    ):
        writer.write_lines([b'{"a":\n1}'])
