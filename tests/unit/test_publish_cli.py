"""``mda publish`` argument errors are one line and exit status 1."""

from __future__ import annotations

import argparse

import pytest

from mda import cli_publish


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cli_publish.register(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--date", "2026-11-24", "--from", "2026-11-01", "--to", "2026-11-02"], "--date cannot"),
        (["--from", "2026-11-01"], "go together"),
        (["--from", "2026-11-05", "--to", "2026-11-01"], "before --from"),
        ([], "no store at"),
    ],
)
def test_bad_publish_arguments_give_one_line_errors(tmp_path, capsys, extra, message):
    args = _parse(["publish", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path), *extra])
    assert args.func(args) == 1
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1
