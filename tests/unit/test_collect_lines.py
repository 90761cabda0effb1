from __future__ import annotations

import pytest

from mda.sources.collect.lines import LineSplitter, split_datagram


def test_crlf_and_lf_lines_are_split_the_same_way():
    assert LineSplitter().feed(b"a\r\nb\nc\r\n") == [b"a", b"b", b"c"]


def test_incomplete_last_line_is_kept_until_completed():
    splitter = LineSplitter()
    assert splitter.feed(b"!AIVDM,1,1,,A,13") == []
    assert splitter.pending == len(b"!AIVDM,1,1,,A,13")
    assert splitter.feed(b"mb9U0P00,0*5D\r") == []
    assert splitter.feed(b"\nnext") == [b"!AIVDM,1,1,,A,13mb9U0P00,0*5D"]
    assert splitter.flush() == b"next"
    assert splitter.flush() == b""


def test_line_split_one_byte_at_a_time_is_reassembled():
    data = b"line one\r\nline two\nline three\r\n"
    splitter = LineSplitter()
    lines = [line for i in range(len(data)) for line in splitter.feed(data[i : i + 1])]
    assert lines == [b"line one", b"line two", b"line three"]


def test_overlong_line_is_cut_into_capped_pieces_without_losing_bytes():
    splitter = LineSplitter(max_line=10)
    junk = bytes(range(65, 91))  # 26 bytes, no line end
    lines = splitter.feed(junk)
    assert lines == [junk[:10], junk[10:20]]
    assert splitter.pending == 6
    assert splitter.feed(b"\nok\n") == [junk[20:], b"ok"]


def test_buffer_never_exceeds_the_cap_while_junk_keeps_coming():
    splitter = LineSplitter()
    chunk = b"x" * 10_000
    pieces = []
    for _ in range(100):
        pieces.extend(splitter.feed(chunk))
        assert splitter.pending <= 64 * 1024
    assert all(len(p) == 64 * 1024 for p in pieces)
    assert sum(map(len, pieces)) + splitter.pending == 100 * 10_000


def test_complete_overlong_line_in_one_chunk_is_cut():
    assert LineSplitter(max_line=4).feed(b"abcdefghij\nk\n") == [b"abcd", b"efgh", b"ij", b"k"]


def test_datagram_end_ends_its_last_line():
    assert split_datagram(b"!AIVDM,a\r\n!AIVDM,b") == [b"!AIVDM,a", b"!AIVDM,b"]
    assert split_datagram(b"!AIVDM,a\n") == [b"!AIVDM,a"]


def test_max_line_must_be_positive():
    with pytest.raises(ValueError, match="max_line"):
        LineSplitter(max_line=0)
