import pytest

from mda.decode.tagblock import TagBlockError, nmea_checksum, split_tag_block


def _block(body: str) -> bytes:
    return f"\\{body}*{nmea_checksum(body.encode()):02X}\\!AIVDM,1,1,,A,x,0*00".encode()


def test_tag_block_fields_are_parsed_and_sentence_returned():
    tag, sentence = split_tag_block(_block("s:TW01,c:1767225600"))
    assert tag is not None
    assert tag.station == "TW01"
    assert tag.unix_s == 1767225600
    assert sentence.startswith(b"!AIVDM")


def test_time_in_milliseconds_is_converted_to_seconds():
    tag, _ = split_tag_block(_block("c:1767225600123"))
    assert tag is not None
    assert tag.unix_s == pytest.approx(1767225600.123)


def test_bad_tag_checksum_is_rejected_with_reason():
    with pytest.raises(TagBlockError) as err:
        split_tag_block(b"\\s:TW01,c:1767225600*00\\!AIVDM,1,1,,A,x,0*00")
    assert err.value.reason == "bad_tag_checksum"


def test_group_field_outside_the_checksum_is_accepted():
    # the Norwegian feed computes the checksum without the g: field
    checksum = nmea_checksum(b"c:1565218798")
    line = f"\\g:1-2-9999,c:1565218798*{checksum:02X}\\!BSVDM,2,1,3,A,x,0*00".encode()
    tag, _ = split_tag_block(line)
    assert tag is not None
    assert tag.group == "9999"
    assert tag.unix_s == 1565218798


def test_unclosed_tag_block_is_malformed():
    with pytest.raises(TagBlockError) as err:
        split_tag_block(b"\\c:1767225600*00!AIVDM")
    assert err.value.reason == "malformed"


def test_line_without_tag_block_passes_through():
    tag, sentence = split_tag_block(b"!AIVDM,1,1,,A,x,0*00")
    assert tag is None
    assert sentence == b"!AIVDM,1,1,,A,x,0*00"
