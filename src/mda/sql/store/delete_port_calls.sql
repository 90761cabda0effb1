-- purpose: remove the port_calls written by an interval (those whose closed_ts lies in it) before reloading
-- grain: port_calls
-- parameters: $start, $end (TIMESTAMPTZ, half-open interval on closed_ts)
DELETE FROM port_calls WHERE closed_ts >= $start AND closed_ts < $end
