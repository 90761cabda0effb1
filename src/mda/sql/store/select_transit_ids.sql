-- purpose: the event ids of the transits whose fixes select_transit_fixes returns, in the order of its k
-- grain: one row per transit
-- parameters: $start, $end (TIMESTAMPTZ, half-open interval on transits.end_ts)
SELECT event_id
FROM transits
WHERE end_ts >= $start AND end_ts < $end
ORDER BY event_id
