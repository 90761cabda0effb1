-- purpose: remove the zone_events written by an interval (those whose closed_ts lies in it) before reloading
-- grain: zone_events
-- parameters: $start, $end (TIMESTAMPTZ, half-open interval on closed_ts)
DELETE FROM zone_events WHERE closed_ts >= $start AND closed_ts < $end
