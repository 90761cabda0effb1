r"""The duplicate-detection store: the last kept receive time of every recent payload.

A message is a duplicate when its armoured payload (exact bytes) was kept within the dedup
window before (see :mod:`mda.decode.nmea`).  :class:`SeenStore` maps payload bytes to that
last kept time (UTC microseconds since the epoch) and answers both per-message lookups (the
pyais path) and whole-chunk lookups (the fast path) without a Python object per row.

Layout
------
* **Arrays**, sorted by a 64-bit hash: every payload of at most :data:`KEY_BYTES` bytes with
  no zero byte, stored as its bytes zero-padded to :data:`KEY_BYTES` and read as
  :data:`KEY_WORDS` little-endian 64-bit words (the padding is unambiguous: a payload holds
  no zero byte), with its hash and time.  Lookups are ``searchsorted`` on the hash, then an
  exact comparison of the words, so a hash collision never merges two payloads: entries
  with equal hashes sit side by side and are told apart by their words.
* **Pending**: a dict of the times set one by one (:meth:`SeenStore.set`) since the last
  whole-chunk operation; it takes precedence over the arrays and is merged into them
  (:meth:`SeenStore.flush`) before any vectorised lookup.  Without vectorised use (the
  per-line decoder) the store is this dict alone.
* **Long**: payloads that cannot be stored as words (longer, or holding a zero byte), in a
  dict; only the pyais path produces them.

The hash of a key is the XOR over its words of ``mix(w * K_i)`` (a 64-bit multiply-xorshift
finaliser with one odd constant per word); ``mix(0) = 0``, so zero words contribute nothing
and a short key can be hashed from its first words only.  :func:`hash_words` (NumPy) and
:func:`hash_bytes` (Python integers, for one payload) agree exactly.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["KEY_BYTES", "KEY_WORDS", "SeenStore", "hash_bytes", "hash_words", "key_words"]

#: Bytes of a stored key: the longest fast-path payload (type 5, 71 characters) rounded up to words.
KEY_BYTES = 72
#: 64-bit words of a stored key.
KEY_WORDS = KEY_BYTES // 8

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

_M64 = (1 << 64) - 1
_WORD_K = (
    0x9E3779B97F4A7C15,
    0xC2B2AE3D27D4EB4F,
    0x165667B19E3779F9,
    0xD6E8FEB86659FD93,
    0xFF51AFD7ED558CCD,
    0xC4CEB9FE1A85EC53,
    0x94D049BB133111EB,
    0xBF58476D1CE4E5B9,
    0x2545F4914F6CDD1D,
)
_MIX = 0xFF51AFD7ED558CCD
_NP_WORD_K = np.array(_WORD_K, dtype=np.uint64)
_NP_MIX = np.uint64(_MIX)
_S29, _S32 = np.uint64(29), np.uint64(32)


def hash_words(words: U64) -> U64:
    """64-bit hash of each row of key words (shape ``(n, k)``, ``k <= KEY_WORDS``).

    Rows are keys zero-padded to whole words; words past ``k`` count as zero.
    """
    out = np.zeros(words.shape[0], dtype=np.uint64)
    for i in range(words.shape[1]):
        x = words[:, i] * _NP_WORD_K[i]
        x ^= x >> _S32
        x *= _NP_MIX
        x ^= x >> _S29
        out ^= x
    return out


def hash_bytes(key: bytes) -> int:
    """The :func:`hash_words` hash of one key of at most :data:`KEY_BYTES` bytes."""
    out = 0
    for i in range(0, len(key), 8):
        w = int.from_bytes(key[i : i + 8], "little")
        x = (w * _WORD_K[i // 8]) & _M64
        x ^= x >> 32
        x = (x * _MIX) & _M64
        x ^= x >> 29
        out ^= x
    return out


def storable(key: bytes) -> bool:
    """Whether ``key`` can be held as words (at most :data:`KEY_BYTES` bytes, no zero byte)."""
    return len(key) <= KEY_BYTES and b"\0" not in key


def key_words(keys: list[bytes]) -> U64:
    """Storable keys as rows of :data:`KEY_WORDS` little-endian words (zero-padded)."""
    data = b"".join(k.ljust(KEY_BYTES, b"\0") for k in keys)
    return np.frombuffer(data, dtype="<u8").astype(np.uint64).reshape(len(keys), KEY_WORDS)


class SeenStore:
    """Payload bytes to the last kept receive time (UTC microseconds since the epoch)."""

    def __init__(self) -> None:
        self._pending: dict[bytes, int] = {}
        self._long: dict[bytes, int] = {}
        # sorted by hash: the hash and the slot of each stored key
        self._hash: U64 = np.zeros(0, dtype=np.uint64)
        self._slot: I64 = np.zeros(0, dtype=np.int64)
        # by slot, in the order the keys were added (capacity grows by doubling)
        self._words: U64 = np.zeros((0, KEY_WORDS), dtype=np.uint64)
        self._ts: I64 = np.zeros(0, dtype=np.int64)
        self._used = 0

    def __len__(self) -> int:
        """Number of payloads held."""
        if self._used or self._long:
            self.flush()
        return len(self._pending) + len(self._long) + self._used

    @property
    def ts_us(self) -> I64:
        """Last kept time of each stored key, by slot (see :meth:`find`); a view, writable."""
        return self._ts[: self._used]

    # -- one payload ------------------------------------------------------------------------
    def get(self, key: bytes) -> int | None:
        """The last kept time of ``key``, or None."""
        found = self._pending.get(key)
        if found is not None or not (self._used or self._long):
            return found
        if not storable(key):
            return self._long.get(key)
        slot = self._find_one(hash_bytes(key), key_words([key])[0])
        return None if slot < 0 else int(self._ts[slot])

    def set(self, key: bytes, ts_us: int) -> None:
        """Make ``ts_us`` the last kept time of ``key``."""
        self._pending[key] = ts_us

    # -- whole chunks -----------------------------------------------------------------------
    def flush(self) -> None:
        """Merge the times set one by one into the arrays (or the long-key dict)."""
        if not self._pending:
            return
        keys: list[bytes] = []
        times: list[int] = []
        for key, ts in self._pending.items():
            if storable(key):
                keys.append(key)
                times.append(ts)
            else:
                self._long[key] = ts
        self._pending = {}
        if keys:
            words = key_words(keys)
            hashes = hash_words(words)
            self._assign(self._find(hashes, words), hashes, words, np.array(times, dtype=np.int64))

    def find(self, hashes: U64, words: U64) -> I64:
        """Slot (index in :attr:`ts_us`) of each key, -1 when absent.

        Parameters
        ----------
        hashes : ndarray of uint64
            :func:`hash_words` of each key.
        words : ndarray of uint64, shape (n, k), k <= KEY_WORDS
            The keys (distinct), zero-padded; words past ``k`` count as zero.

        Times set one by one are merged first, so the slots stay valid until the next
        :meth:`set`, :meth:`assign` or :meth:`prune`.
        """
        self.flush()
        return self._find(hashes, words)

    def assign(self, slots: I64, hashes: U64, words: U64, ts_us: I64) -> None:
        """Set the times of distinct keys: in place where ``slots >= 0`` (from :meth:`find`), else added."""
        self._assign(slots, hashes, words, ts_us)

    def prune(self, horizon_us: int) -> None:
        """Forget every payload whose last kept time is before ``horizon_us``."""
        if self._used:
            self.flush()
            keep = self.ts_us >= horizon_us
            renumber = np.cumsum(keep) - 1
            by_hash = keep[self._slot]
            self._hash = self._hash[by_hash]
            self._slot = renumber[self._slot[by_hash]]
            kept = int(np.count_nonzero(keep))  # compacted in place: the capacity stays
            self._words[:kept] = self._words[: self._used][keep]
            self._ts[:kept] = self.ts_us[keep]
            self._used = kept
        self._pending = {k: v for k, v in self._pending.items() if v >= horizon_us}
        self._long = {k: v for k, v in self._long.items() if v >= horizon_us}

    # -- internals --------------------------------------------------------------------------
    def _find_one(self, key_hash: int, words: U64) -> int:
        at = int(np.searchsorted(self._hash, np.uint64(key_hash), "left"))
        while at < self._hash.size and int(self._hash[at]) == key_hash:
            slot = int(self._slot[at])
            if (
                bool((self._words[slot, : words.size] == words).all())
                and not self._words[slot, words.size :].any()
            ):
                return slot
            at += 1
        return -1

    def _find(self, hashes: U64, words: U64) -> I64:
        n = int(hashes.size)
        out = np.full(n, -1, dtype=np.int64)
        if not n or not self._used:
            return out
        at = np.searchsorted(self._hash, hashes, "left")
        inside = np.flatnonzero(at < self._hash.size)
        probe = inside[self._hash[at[inside]] == hashes[inside]]
        if not probe.size:
            return out
        slots = self._slot[at[probe]]
        k = words.shape[1]
        stored = np.take(self._words, slots, axis=0)
        same = (stored[:, :k] == np.take(words, probe, axis=0)).all(axis=1) & ~stored[:, k:].any(axis=1)
        out[probe[same]] = slots[same]
        # equal hash, other key: a collision; the key may sit further along the equal hashes
        for row in probe[~same].tolist():
            out[row] = self._find_one(int(hashes[row]), words[row])
        return out

    def _assign(self, slots: I64, hashes: U64, words: U64, ts_us: I64) -> None:
        old = slots >= 0
        self._ts[slots[old]] = ts_us[old]
        new = np.flatnonzero(~old)
        if not new.size:
            return
        first, stop = self._used, self._used + int(new.size)
        if stop > self._ts.size:
            capacity = max(stop, 2 * self._ts.size, 1024)
            words_buf = np.zeros((capacity, KEY_WORDS), dtype=np.uint64)
            words_buf[: self._used] = self._words[: self._used]
            ts_buf = np.zeros(capacity, dtype=np.int64)
            ts_buf[: self._used] = self._ts[: self._used]
            self._words, self._ts = words_buf, ts_buf
        self._words[first:stop, : words.shape[1]] = np.take(words, new, axis=0)
        self._words[first:stop, words.shape[1] :] = 0
        self._ts[first:stop] = ts_us[new]
        self._used = stop
        # sort the new keys, then merge the two sorted runs (a stable sort merges runs in one pass)
        order = np.argsort(hashes[new])
        merged = np.concatenate([self._hash, hashes[new][order]])
        by_hash = np.argsort(merged, kind="stable")
        self._hash = merged[by_hash]
        self._slot = np.concatenate([self._slot, first + order])[by_hash]
