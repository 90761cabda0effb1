-- purpose: the median_line_crossings log filtered for `mda export median_line_crossings` (streamed as Arrow record batches)
-- grain: one row per event
-- parameters: $start, $end (TIMESTAMPTZ or NULL: half-open UTC bounds on start_ts),
--             $mmsi (INTEGER or NULL), $flag (ISO 3166-1 alpha-2 claimed by the MID, or NULL),
--             $category (ship category of the vessel's last announced ship type, or NULL),
--             $direction ('W->E' or 'E->W', or NULL)
SELECT e.* FROM median_line_crossings AS e
WHERE (CAST($start AS TIMESTAMPTZ) IS NULL OR e.start_ts >= $start)
  AND (CAST($end AS TIMESTAMPTZ) IS NULL OR e.start_ts < $end)
  AND (CAST($mmsi AS INTEGER) IS NULL OR e.mmsi = $mmsi)
  AND (CAST($flag AS VARCHAR) IS NULL OR mid_of(e.mmsi) IN (SELECT f.mid FROM mid_flags AS f WHERE f.iso2 = upper($flag)))
  AND (CAST($category AS VARCHAR) IS NULL OR e.mmsi IN (SELECT v.mmsi FROM vessels AS v WHERE v.category = $category))
  AND (CAST($direction AS VARCHAR) IS NULL OR e.direction = $direction)
ORDER BY e.start_ts, e.mmsi, e.event_id
