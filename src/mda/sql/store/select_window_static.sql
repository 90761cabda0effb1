-- purpose: the static reports a run's detectors read: its interval padded before
-- grain: one row per static report
-- parameters: $start, $end (TIMESTAMPTZ, half-open window)
SELECT ts, mmsi, msg_type, part, imo, callsign, shipname, ship_type, to_bow, to_stern, to_port, to_starboard,
       draught, destination, source, line_no
FROM vessel_static
WHERE ts >= $start AND ts < $end
