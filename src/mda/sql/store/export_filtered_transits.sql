-- purpose: the transits log filtered for `mda export transits` (streamed as Arrow record batches)
-- grain: one row per transit
-- parameters: $start, $end (TIMESTAMPTZ or NULL: half-open UTC bounds on start_ts),
--             $mmsi (INTEGER or NULL), $flag (ISO 3166-1 alpha-2 claimed by the MID, or NULL),
--             $category (ship category of the vessel's last announced ship type, or NULL),
--             $direction ('northbound' or 'southbound', or NULL)
SELECT
    e.event_id, e.mmsi, e.shipname, e.ship_type, e.direction, e.entry_gate, e.exit_gate,
    e.start_ts, e.end_ts, e.duration_s,
    e.* EXCLUDE (event_id, mmsi, shipname, ship_type, direction, entry_gate, exit_gate, start_ts, end_ts, duration_s)
FROM transits AS e
WHERE (CAST($start AS TIMESTAMPTZ) IS NULL OR e.start_ts >= $start)
  AND (CAST($end AS TIMESTAMPTZ) IS NULL OR e.start_ts < $end)
  AND (CAST($mmsi AS INTEGER) IS NULL OR e.mmsi = $mmsi)
  AND (CAST($flag AS VARCHAR) IS NULL OR mid_of(e.mmsi) IN (SELECT f.mid FROM mid_flags AS f WHERE f.iso2 = upper($flag)))
  AND (CAST($category AS VARCHAR) IS NULL OR e.mmsi IN (SELECT v.mmsi FROM vessels AS v WHERE v.category = $category))
  AND (CAST($direction AS VARCHAR) IS NULL OR e.direction = $direction)
ORDER BY e.start_ts, e.mmsi, e.event_id
