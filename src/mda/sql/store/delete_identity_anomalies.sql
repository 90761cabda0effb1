-- purpose: remove the identity_anomalies written by an interval (those whose closed_ts lies in it) before reloading
-- grain: identity_anomalies
-- parameters: $start, $end (TIMESTAMPTZ, half-open interval on closed_ts)
DELETE FROM identity_anomalies WHERE closed_ts >= $start AND closed_ts < $end
