-- purpose: remove the transits emitted by an interval (those ending in it) before reloading
-- grain: transits
-- parameters: $start, $end (TIMESTAMPTZ, half-open interval)
DELETE FROM transits WHERE end_ts >= $start AND end_ts < $end
