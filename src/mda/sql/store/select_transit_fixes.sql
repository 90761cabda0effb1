-- purpose: the fixes of each transit between its gate crossings (for maps), at most one per
--          minute: the first fix of each UTC minute of the vessel's fixes from an hour before
--          the transit to an hour after (the map simplifies each line to 0.002 degrees, about
--          200 m, far coarser than a minute's run at sea; a day of 20 M messages draws a
--          third as many fixes)
-- grain: one row per transit and UTC minute holding a fix of the transiting vessel, in time
--        order (so in time order within each transit); the transit is named by k, its place in
--        select_transit_ids, so a fix carries an integer instead of a copy of the event id
-- parameters: $start, $end (TIMESTAMPTZ, half-open interval on transits.end_ts)
WITH t AS (
    SELECT mmsi, start_ts, end_ts, (row_number() OVER (ORDER BY event_id) - 1)::INTEGER AS k
    FROM transits
    WHERE end_ts >= $start AND end_ts < $end
)
-- the place of the first fix of each minute (lon and lat of one row; of fixes sharing that
-- time, whichever the scan meets first)
, minutes AS (
    SELECT t.k, min(p.ts) AS ts, arg_min(struct_pack(lon := p.lon, lat := p.lat), p.ts) AS f
    FROM t
    JOIN positions AS p
      ON p.mmsi = t.mmsi AND p.ts >= t.start_ts - INTERVAL 1 HOUR AND p.ts <= t.end_ts + INTERVAL 1 HOUR
    GROUP BY t.k, epoch_us(p.ts) // 60000000
)
SELECT k, ts, f.lon AS lon, f.lat AS lat
FROM minutes
ORDER BY ts, k
