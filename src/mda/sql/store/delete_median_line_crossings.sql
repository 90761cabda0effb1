-- purpose: remove the median_line_crossings written by an interval (those whose closed_ts lies in it) before reloading
-- grain: median_line_crossings
-- parameters: $start, $end (TIMESTAMPTZ, half-open interval on closed_ts)
DELETE FROM median_line_crossings WHERE closed_ts >= $start AND closed_ts < $end
