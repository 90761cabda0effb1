-- purpose: remove the loitering_events written by an interval (those whose closed_ts lies in it) before reloading
-- grain: loitering_events
-- parameters: $start, $end (TIMESTAMPTZ, half-open interval on closed_ts)
DELETE FROM loitering_events WHERE closed_ts >= $start AND closed_ts < $end
