from __future__ import annotations

import pytest

from mda.sources.collect.backoff import Backoff


def test_delays_double_up_to_the_cap():
    backoff = Backoff(initial_s=1.0, max_s=10.0)
    top = [backoff.delay(n, uniform=lambda: 0.999999) for n in range(6)]
    assert top == pytest.approx([1.0, 2.0, 4.0, 8.0, 10.0, 10.0], rel=1e-5)


def test_jitter_keeps_delays_between_half_and_full():
    backoff = Backoff(initial_s=2.0, max_s=60.0)
    assert backoff.delay(0, uniform=lambda: 0.0) == 1.0
    assert backoff.delay(3, uniform=lambda: 0.5) == 12.0
    assert all(8.0 <= backoff.delay(3) < 16.0 for _ in range(200))


def test_many_failures_do_not_overflow():
    assert Backoff(max_s=60.0).delay(10_000, uniform=lambda: 0.0) == 30.0


@pytest.mark.parametrize(
    "kwargs", [{"initial_s": 0.0}, {"initial_s": 5.0, "max_s": 1.0}, {"factor": 0.5}, {"stable_s": -1.0}]
)
def test_nonsense_backoff_is_rejected(kwargs: dict[str, float]):
    with pytest.raises(ValueError, match="backoff"):
        Backoff(**kwargs)


def test_reconnects_count_failures_and_a_stable_connection_resets_them():
    from mda.sources.collect.backoff import Backoff, Reconnects

    reconnects = Reconnects(Backoff(initial_s=1.0, max_s=60.0, stable_s=0.0))
    reconnects.next_delay()
    reconnects.next_delay()
    assert reconnects.failures == 2
    reconnects.connected()
    reconnects.disconnected()  # up for >= 0 s: stable
    assert reconnects.failures == 0
    unstable = Reconnects(Backoff(stable_s=3600.0))
    unstable.next_delay()
    unstable.connected()
    unstable.disconnected()
    assert unstable.failures == 1
