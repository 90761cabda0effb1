from __future__ import annotations

import argparse
import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pyais
import pyarrow.parquet as pq
import pytest
from pyais.messages import NMEAMessage

from mda.cli_decode import decode_file, register, rejects_path
from mda.decode.messages import MESSAGE_FIELDS
from mda.sources.errors import SourceError

PROVENANCE = ("ts", "source", "line_no", "station")
SENTINELS = {"lat": 91.0, "lon": 181.0, "speed": 102.3, "course": 360.0, "heading": 511}
REAL_NMEA = [
    "pyais/nmea_data_sample.txt",
    "pyais/mixed.txt",
    "pyais/sample.ais",
    "pyais/gatehouse.nmea",
    "pyais/messages.ais",
    "pyais/timestamped.ais",
    "kystverket/Ais1000Lines.nm4",
]
TIMED = {"kystverket/Ais1000Lines.nm4"}


def canonical(fields: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in fields.items() if v is not None}, sort_keys=True)


def pyais_fields(message: Any) -> dict[str, Any]:
    """A plain pyais decode with bytes as hex and "not available" sentinels as None."""
    out = {}
    for key, value in message.decode().asdict(enum_as_int=True).items():
        if isinstance(value, bytes | bytearray):
            value = value.hex()
        if key in SENTINELS and value is not None and value >= SENTINELS[key] - 1e-9:
            value = None
        out[key] = value
    return out


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("name", REAL_NMEA)
def test_decode_output_matches_plain_pyais_field_for_field(samples: Path, tmp_path: Path, name: str):
    path = samples / name
    out = tmp_path / "out.jsonl"
    assume = None if name in TIMED else dt.date(2020, 1, 1)
    accounting, rows, error = decode_file(path, out, assume_date=assume, keep_duplicates=True)
    assert error is None
    assert accounting.balanced
    ours = Counter(
        canonical({k: v for k, v in row.items() if k not in PROVENANCE}) for row in read_jsonl(out)
    )
    assert sum(ours.values()) == rows
    with pyais.FileReaderStream(str(path)) as stream:
        reference = [pyais_fields(m) for m in stream if m.payload]
    ref = Counter(canonical(fields) for fields in reference)
    assert not ours - ref, "every decoded row equals a plain pyais decode"
    # what pyais decodes and we do not is explained by a reject reason
    invalid = Counter(
        canonical(f) for f in reference if f["msg_type"] in (1, 2, 3, 18, 27) and f.get("lat") is None
    )
    bad_tag: Counter[str] = Counter()
    for reject in read_jsonl(rejects_path(out)):
        if reject["reason"] == "bad_tag_checksum":
            sentence = reject["raw"].rsplit("\\", 1)[-1].encode()
            try:
                bad_tag[canonical(pyais_fields(NMEAMessage(sentence)))] += 1
            except Exception:  # noqa: S112 - a line pyais cannot decode explains nothing
                continue
    assert ref - ours == invalid + bad_tag
    assert accounting.rejected["invalid_position"] == sum(invalid.values())


def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="mda")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code: int = args.func(args)
    return code


def test_decode_command_writes_jsonl_with_iso_utc_times_and_a_rejects_sidecar(
    samples: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    out = tmp_path / "kystverket.jsonl"
    assert (
        run(["decode", "--input", str(samples / "kystverket" / "Ais1000Lines.nm4"), "--out", str(out)]) == 0
    )
    rows = read_jsonl(out)
    assert len(rows) == 872
    assert rows[0]["ts"] == "2019-08-07T22:59:58Z"
    assert set(MESSAGE_FIELDS) <= set(rows[0])
    rejects = read_jsonl(tmp_path / "kystverket.rejects.jsonl")
    assert {r["reason"] for r in rejects} == {"invalid_position"}
    assert all(r["raw"].startswith("\\c:") and r["line_no"] > 0 for r in rejects)
    printed = capsys.readouterr().out
    assert "1,000 lines = 995 decoded" in printed


def test_decode_command_writes_parquet_for_every_format(tmp_path: Path, samples: Path):
    fixtures = Path(__file__).parents[1] / "fixtures"
    inputs = {
        "noaa": samples / "aisdb" / "test_data_noaa_20230101.csv",
        "dma": fixtures / "handmade" / "dma_aisdk_2026-11-13.csv",
        "aisstream": fixtures / "handmade" / "aisstream_2026-11-24T03.jsonl",
    }
    counts = {}
    for fmt, path in inputs.items():
        out = tmp_path / f"{fmt}.parquet"
        assert run(["decode", "--input", str(path), "--out", str(out)]) == 0
        table = pq.read_table(out)
        assert table.schema.names[:4] == ["ts", "source", "line_no", "station"]
        counts[fmt] = table.num_rows
    assert counts == {"noaa": 1000, "dma": 7, "aisstream": 8}


def test_dma_export_keeps_unmapped_columns_in_extra(tmp_path: Path):
    out = tmp_path / "dma.jsonl"
    fixture = Path(__file__).parents[1] / "fixtures" / "handmade" / "dma_aisdk_2026-11-13.csv"
    decode_file(fixture, out)
    first = read_jsonl(out)[0]
    assert first["ts"] == "2026-11-12T23:59:58Z"
    assert (first["Length"], first["Width"], first["ETA"]) == ("250", "32", "14/11/2026 06:00:00")


def test_truncated_input_writes_what_was_read_and_exits_1(
    tmp_path: Path, samples: Path, capsys: pytest.CaptureFixture[str]
):
    import gzip

    data = gzip.compress((samples / "kystverket" / "Ais1000Lines.nm4").read_bytes())
    path = tmp_path / "cut.nm4.gz"
    path.write_bytes(data[: len(data) // 2])
    out = tmp_path / "cut.jsonl"
    assert run(["decode", "--input", str(path), "--out", str(out)]) == 1
    assert 0 < len(read_jsonl(out)) < 872
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("mda: error: ")
    assert "truncated" in err[0]


@pytest.mark.parametrize(
    ("out_name", "message"),
    [("out.csv", "must end in .jsonl or .parquet"), ("missing/out.jsonl", "output folder does not exist")],
)
def test_unusable_output_is_a_one_line_error(tmp_path: Path, samples: Path, out_name: str, message: str):
    with pytest.raises(SourceError, match=message):
        decode_file(samples / "pyais" / "mixed.txt", tmp_path / out_name)


def test_decode_refuses_to_overwrite_its_input(tmp_path: Path):
    path = tmp_path / "input.jsonl"
    path.write_text("{}\n")
    with pytest.raises(SourceError, match="refusing to overwrite"):
        decode_file(path, path)
    assert path.read_text() == "{}\n"


def test_duplicates_are_dropped_unless_kept(tmp_path: Path, samples: Path):
    doubled = tmp_path / "twice.nm4"
    raw = (samples / "kystverket" / "Ais1000Lines.nm4").read_bytes()
    doubled.write_bytes(raw + b"\n" + raw)
    dropped, rows_dropped, _ = decode_file(doubled, tmp_path / "a.jsonl")
    kept, rows_kept, _ = decode_file(doubled, tmp_path / "b.jsonl", keep_duplicates=True)
    assert (rows_dropped, rows_kept) == (872, 2 * 872)
    assert dropped.duplicates == 995
    assert kept.duplicates == 0
