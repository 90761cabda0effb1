from __future__ import annotations

from mda.decode.tagblock import split_tag_block
from mda.sources.collect.stamp import has_time_tag, stamp_line, time_tag

SENTENCE = b"!AIVDM,1,1,,A,13mb9U0P00PRk8fT5nw>4?wj2006,0*5D"
KYSTVERKET = b"\\c:1565218798*53\\!BSVDM,1,1,,A,13mb9U0P00PRk8fT5nw>4?wj2006,0*5D"


def test_time_tag_has_the_nmea_checksum_of_its_body():
    tag = time_tag(1_700_000_000, "kystverket")
    body = b"c:1700000000,s:kystverket"
    expected = 0
    for byte in body:
        expected ^= byte
    assert tag == b"\\" + body + b"*" + f"{expected:02X}".encode() + b"\\"


def test_stamped_line_decodes_to_the_receive_time_and_source():
    stamped = stamp_line(SENTENCE, time_tag(1_700_000_123, "feed-1"))
    block, sentence = split_tag_block(stamped)
    assert sentence == SENTENCE
    assert block is not None
    assert block.unix_s == 1_700_000_123
    assert block.station == "feed-1"


def test_line_with_its_own_time_is_kept_byte_for_byte():
    assert has_time_tag(KYSTVERKET)
    assert stamp_line(KYSTVERKET, time_tag(1, "x")) is KYSTVERKET


def test_line_whose_tag_block_has_no_time_gets_a_time_tag_in_front():
    line = b"\\s:station7*07\\" + SENTENCE
    assert not has_time_tag(line)
    tag = time_tag(1_700_000_000, "udp-10110")
    assert stamp_line(line, tag) == tag + line


def test_unclosed_tag_block_and_junk_are_stamped_not_dropped():
    tag = time_tag(5, "x")
    assert stamp_line(b"\\c:123", tag) == tag + b"\\c:123"
    assert stamp_line(b"garbage", tag) == tag + b"garbage"


def test_time_field_anywhere_in_the_tag_block_counts():
    assert has_time_tag(b"\\g:1-2-9999,c:1565218798*53\\!BSVDM,2,1,3,A,5,0*72")
    assert not has_time_tag(b"\\g:1-2-9999,s:c*53\\!BSVDM,2,1,3,A,5,0*72")
