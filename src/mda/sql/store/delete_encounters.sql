-- purpose: remove the encounters written by an interval (those whose closed_ts lies in it) before reloading
-- grain: encounters
-- parameters: $start, $end (TIMESTAMPTZ, half-open interval on closed_ts)
DELETE FROM encounters WHERE closed_ts >= $start AND closed_ts < $end
