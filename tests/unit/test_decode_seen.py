"""The duplicate store gives exactly what a dict of payload to last kept time gives."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mda.decode import seen
from mda.decode.seen import KEY_BYTES, SeenStore, hash_bytes, hash_words, key_words, storable

ARMOUR = bytes(range(48, 88)) + bytes(range(96, 120))
payloads = st.binary(min_size=1, max_size=12).map(
    lambda b: bytes(ARMOUR[x % len(ARMOUR)] for x in b)
) | st.sampled_from([b"A" * 27, b"A" * 28, b"A" * 71, b"A" * 72, b"A" * 73, b"AB\0", b"\0", b"x" * 200])


@given(st.binary(min_size=0, max_size=KEY_BYTES))
def test_python_hash_of_one_key_equals_the_vectorised_hash(key: bytes) -> None:
    key = key.replace(b"\0", b"1")
    assert hash_bytes(key) == int(hash_words(key_words([key]))[0])


def test_hash_of_a_short_key_needs_only_its_first_words() -> None:
    keys = [b"13u?etPv2;0n:dDPwUM1U1Cb069D", b"B6;@0Sh0;:9v5FSeCVd:D90UiP06"]
    words = key_words(keys)
    assert np.array_equal(hash_words(words[:, :4]), hash_words(words))


def test_keys_with_a_zero_byte_or_longer_than_the_words_are_not_stored_as_words() -> None:
    assert storable(b"A" * KEY_BYTES)
    assert not storable(b"A" * (KEY_BYTES + 1))
    assert not storable(b"AB\0")


ops = st.lists(
    st.tuples(
        st.sampled_from(["set", "get", "bulk", "prune"]),
        st.lists(payloads, min_size=1, max_size=6),
        st.integers(0, 100),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops)
def test_store_behaves_like_a_dict(operations: list[tuple[str, list[bytes], int]]) -> None:
    store, model = SeenStore(), {}
    for op, keys, ts in operations:
        if op == "set":
            store.set(keys[0], ts)
            model[keys[0]] = ts
        elif op == "get":
            assert all(store.get(k) == model.get(k) for k in keys)
        elif op == "bulk":  # the fast path's whole-chunk lookup and write-back
            distinct = list(dict.fromkeys(k for k in keys if storable(k)))
            if not distinct:
                continue
            words = key_words(distinct)
            hashes = hash_words(words)
            slots = store.find(hashes, words)
            for key, slot in zip(distinct, slots.tolist(), strict=True):
                assert (None if slot < 0 else int(store.ts_us[slot])) == model.get(key)
            new_ts = np.arange(len(distinct), dtype=np.int64) + ts
            store.assign(slots, hashes, words, new_ts)
            model.update(zip(distinct, new_ts.tolist(), strict=True))
        else:
            store.prune(ts)
            model = {k: v for k, v in model.items() if v >= ts}
        assert len(store) == len(model)
    assert all(store.get(k) == v for k, v in model.items())


def test_colliding_hashes_never_merge_two_payloads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(seen, "hash_words", lambda words: np.zeros(words.shape[0], dtype=np.uint64))
    monkeypatch.setattr(seen, "hash_bytes", lambda key: 0)
    store = SeenStore()
    keys = [b"AAAA", b"BBBB", b"CCCC", b"DDDD"]
    for i, key in enumerate(keys[:3]):
        store.set(key, i)
    words = key_words(keys)
    slots = store.find(np.zeros(4, dtype=np.uint64), words)
    assert [int(store.ts_us[s]) if s >= 0 else None for s in slots.tolist()] == [0, 1, 2, None]
    store.assign(slots, np.zeros(4, dtype=np.uint64), words, np.array([10, 11, 12, 13]))
    assert [store.get(k) for k in keys] == [10, 11, 12, 13]
    store.prune(12)
    assert [store.get(k) for k in keys] == [None, None, 12, 13]
    assert len(store) == 2
