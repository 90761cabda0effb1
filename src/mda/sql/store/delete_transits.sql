-- purpose: remove the transits written by an interval (those whose closed_ts lies in it) before reloading
-- grain: transits
-- parameters: $start, $end (TIMESTAMPTZ, half-open interval on closed_ts)
DELETE FROM transits WHERE closed_ts >= $start AND closed_ts < $end
