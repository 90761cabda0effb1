from __future__ import annotations

import argparse
import socket
from pathlib import Path

import pytest

from mda.cli_collect import register
from mda.settings import AISSTREAM_URL, load_settings


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="mda")
    register(root.add_subparsers(dest="command", required=True))
    return root


def run(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    code: int = args.func(args)
    return code


@pytest.mark.parametrize(
    "argv", [["collect"], ["collect", "tcp"], ["collect", "udp"], ["collect", "aisstream"]]
)
def test_every_collect_command_has_help(argv: list[str], capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as exit_:
        parser().parse_args([*argv, "--help"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: mda {' '.join(argv)}")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["collect", "tcp", "127.0.0.1"], "expected HOST:PORT"),
        (["collect", "tcp", ":5631"], "expected HOST:PORT"),
        (["collect", "tcp", "127.0.0.1:0"], "port out of range"),
        (["collect", "tcp", "127.0.0.1:65536"], "port out of range"),
        (["collect", "tcp", "localhost:http"], "not a port number"),
        (["collect", "udp", "x:y"], "not a port number"),
        (["collect", "aisstream", "--bbox", "121,21,123,27"], "latitude out of range"),
        (["collect", "aisstream", "--bbox", "21,116,27"], "expected LAT1,LON1,LAT2,LON2"),
        (["collect", "tcp", "127.0.0.1:5631", "--max-lines", "0"], "must be >= 1"),
    ],
)
def test_bad_arguments_are_usage_errors(
    argv: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    with pytest.raises(SystemExit) as exit_:
        parser().parse_args([*argv, "--out", str(tmp_path)])
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err


def test_missing_api_key_is_a_one_line_error_before_any_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    monkeypatch.delenv("MDA_AISSTREAM_API_KEY", raising=False)
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(0)
        url = f"ws://127.0.0.1:{server.getsockname()[1]}/v0/stream"
        code = run(["collect", "aisstream", "--out", str(tmp_path), "--url", url])
        with pytest.raises(BlockingIOError):
            server.accept()
    assert code == 1
    assert capsys.readouterr().err == "mda: error: set MDA_AISSTREAM_API_KEY to your aisstream.io API key\n"


def test_udp_port_in_use_is_a_one_line_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        code = run(["collect", "udp", f"127.0.0.1:{port}", "--out", str(tmp_path), "--max-seconds", "5"])
    assert code == 1
    err = capsys.readouterr().err
    assert err.startswith(f"mda: error: cannot listen on udp 127.0.0.1:{port}: ")
    assert err.count("\n") == 1


def test_settings_read_the_aisstream_key_and_never_show_it(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("MDA_AISSTREAM_API_KEY", "k3y-SECRET-42")
    monkeypatch.delenv("MDA_AISSTREAM_URL", raising=False)
    settings = load_settings()
    assert settings.aisstream_api_key == "k3y-SECRET-42"
    assert settings.aisstream_url == AISSTREAM_URL == "wss://stream.aisstream.io/v0/stream"
    assert "k3y-SECRET-42" not in repr(settings)
    monkeypatch.setenv("MDA_AISSTREAM_URL", "ws://127.0.0.1:9/v0/stream")
    assert load_settings().aisstream_url == "ws://127.0.0.1:9/v0/stream"


def test_blank_api_key_counts_as_unset(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("MDA_AISSTREAM_API_KEY", "  ")
    assert load_settings().aisstream_api_key is None
