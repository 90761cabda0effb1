-- purpose: analysts' store: comments on every column, mda_runs.missing_hours, MID flags, zone
--          polygons and helpers (macros mid_of, flag_of, ship_category; view vessels)
-- grain: see each table's comment
-- parameters: none
COMMENT ON TABLE schema_migrations IS 'One applied schema migration (a file of mda/sql/migrations), applied once, in name order.';
COMMENT ON COLUMN schema_migrations.name IS 'migration file name without .sql, e.g. 003_analyst_store';
COMMENT ON COLUMN schema_migrations.applied_at IS 'UTC time the migration was applied';

COMMENT ON COLUMN positions.mmsi IS 'MMSI as transmitted (9 digits; the first three are the MID of the claimed flag for ships)';
COMMENT ON COLUMN vessel_static.mmsi IS 'MMSI as transmitted';
COMMENT ON COLUMN vessel_static.msg_type IS 'AIS message type (5, 19 or 24)';
COMMENT ON COLUMN vessel_static.callsign IS 'radio call sign as transmitted (hostile text: escape wherever shown)';
COMMENT ON COLUMN vessel_static.shipname IS 'vessel name as transmitted (hostile text: escape wherever shown)';
COMMENT ON COLUMN vessel_static.to_stern IS 'metres from reference point to stern';
COMMENT ON COLUMN vessel_static.to_port IS 'metres from reference point to port side';
COMMENT ON COLUMN vessel_static.to_starboard IS 'metres from reference point to starboard side';
COMMENT ON COLUMN vessel_static.destination IS 'destination typed by the crew (hostile text: escape wherever shown)';
COMMENT ON COLUMN vessel_static.source IS 'input file or feed the line came from';
COMMENT ON COLUMN vessel_static.line_no IS '1-based line number of the first sentence in its source';

COMMENT ON COLUMN rejects.ts IS 'UTC receive time; NULL when the line carried none';
COMMENT ON COLUMN rejects.source IS 'input file or feed the line came from';
COMMENT ON COLUMN rejects.line_no IS '1-based line number in its source';
COMMENT ON COLUMN rejects.reason IS 'why the line was not decoded (duplicate, not_ais, bad_checksum, empty_payload, orphan_fragment, no_timestamp, ...)';
COMMENT ON COLUMN rejects.detail IS 'free-text detail of the reason; NULL when none';
COMMENT ON COLUMN rejects.raw IS 'the input line verbatim (hostile text: escape wherever shown)';

COMMENT ON COLUMN transits.mmsi IS 'MMSI of the transiting vessel';
COMMENT ON COLUMN transits.entry_gate IS 'gate crossed inbound: north or south';
COMMENT ON COLUMN transits.exit_gate IS 'gate crossed outbound: north or south';
COMMENT ON COLUMN transits.entry_lon IS 'longitude of the entry-gate crossing, degrees WGS84';
COMMENT ON COLUMN transits.entry_lat IS 'latitude of the entry-gate crossing, degrees WGS84';
COMMENT ON COLUMN transits.exit_lon IS 'longitude of the exit-gate crossing, degrees WGS84';
COMMENT ON COLUMN transits.exit_lat IS 'latitude of the exit-gate crossing, degrees WGS84';
COMMENT ON COLUMN transits.shipname IS 'last name the MMSI announced before the transit (hostile text); NULL when none';
COMMENT ON COLUMN transits.ship_type IS 'AIS ship and cargo type code last announced; NULL when none';
COMMENT ON COLUMN transits.fence_version IS 'geofence set and version used (e.g. strait/v1)';
COMMENT ON COLUMN transits.params_version IS 'detector parameter version used (mda/params)';

COMMENT ON COLUMN median_line_crossings.mmsi IS 'MMSI of the crossing vessel';
COMMENT ON COLUMN median_line_crossings.fence_version IS 'geofence set and version used';
COMMENT ON COLUMN median_line_crossings.params_version IS 'detector parameter version used';
COMMENT ON COLUMN zone_events.mmsi IS 'MMSI of the visiting vessel';
COMMENT ON COLUMN zone_events.zone_id IS 'zone identifier (see the zones table)';
COMMENT ON COLUMN zone_events.zone_name IS 'zone name; APPROXIMATE limits say so';
COMMENT ON COLUMN zone_events.fence_version IS 'geofence set and version used';
COMMENT ON COLUMN zone_events.params_version IS 'detector parameter version used';
COMMENT ON COLUMN loitering_events.mmsi IS 'MMSI of the loitering vessel';
COMMENT ON COLUMN loitering_events.fixes IS 'number of position reports in the episode';
COMMENT ON COLUMN loitering_events.fence_version IS 'geofence set and version used';
COMMENT ON COLUMN loitering_events.params_version IS 'detector parameter version used';
COMMENT ON COLUMN gap_events.mmsi IS 'MMSI of the silent vessel';
COMMENT ON COLUMN gap_events.fence_version IS 'geofence set and version used';
COMMENT ON COLUMN gap_events.params_version IS 'detector parameter version used';
COMMENT ON COLUMN encounters.mmsi IS 'the lower MMSI of the pair';
COMMENT ON COLUMN encounters.other_mmsi IS 'the higher MMSI of the pair';
COMMENT ON COLUMN encounters.fence_version IS 'geofence set and version used';
COMMENT ON COLUMN encounters.params_version IS 'detector parameter version used';
COMMENT ON COLUMN port_calls.mmsi IS 'MMSI of the calling vessel';
COMMENT ON COLUMN port_calls.port IS 'port or anchorage name';
COMMENT ON COLUMN port_calls.fence_version IS 'geofence set and version used';
COMMENT ON COLUMN port_calls.params_version IS 'detector parameter version used';
COMMENT ON COLUMN identity_anomalies.mmsi IS 'MMSI the anomaly is about';
COMMENT ON COLUMN identity_anomalies.other_mmsi IS 'the other MMSI of an identity swap; NULL otherwise';
COMMENT ON COLUMN identity_anomalies.detail IS 'what was seen (names, IMOs, speeds); hostile text from AIS';
COMMENT ON COLUMN identity_anomalies.fence_version IS 'geofence set and version used';
COMMENT ON COLUMN identity_anomalies.params_version IS 'detector parameter version used';

ALTER TABLE mda_runs ADD COLUMN missing_hours VARCHAR;
COMMENT ON COLUMN mda_runs.run_id IS 'random run identifier (hex)';
COMMENT ON COLUMN mda_runs.started_at IS 'UTC wall-clock time the run started';
COMMENT ON COLUMN mda_runs.finished_at IS 'UTC wall-clock time the run wrote this record';
COMMENT ON COLUMN mda_runs.interval_start IS 'start of the replaced interval, UTC, inclusive';
COMMENT ON COLUMN mda_runs.interval_end IS 'end of the replaced interval, UTC, exclusive';
COMMENT ON COLUMN mda_runs.sources IS 'JSON array of the input names';
COMMENT ON COLUMN mda_runs.lines_in IS 'input lines read';
COMMENT ON COLUMN mda_runs.decoded IS 'lines decoded into messages';
COMMENT ON COLUMN mda_runs.duplicates IS 'lines that repeated a transmission already heard';
COMMENT ON COLUMN mda_runs.non_ais IS 'lines that are not AIS sentences';
COMMENT ON COLUMN mda_runs.rejected IS 'lines rejected with a reason (see rejects)';
COMMENT ON COLUMN mda_runs.mda_version IS 'mda package version that ran';
COMMENT ON COLUMN mda_runs.fence_version IS 'geofence versions used';
COMMENT ON COLUMN mda_runs.params_version IS 'detector parameter version used';
COMMENT ON COLUMN mda_runs.duration_s IS 'run duration, seconds';
COMMENT ON COLUMN mda_runs.missing_hours IS 'JSON array of the UTC hours (ISO 8601, e.g. 2026-11-24T03:00Z) of the interval that had no input, as reported by the scheduler; NULL when not checked';

CREATE TABLE mid_flags (
    mid SMALLINT PRIMARY KEY,
    iso2 VARCHAR NOT NULL,
    country VARCHAR NOT NULL
);
COMMENT ON TABLE mid_flags IS 'ITU Maritime Identification Digits: the flag an MMSI claims (a claim, not a registry fact). Refreshed from the package''s MID table by every migrate.';
COMMENT ON COLUMN mid_flags.mid IS 'Maritime Identification Digits (201-775)';
COMMENT ON COLUMN mid_flags.iso2 IS 'ISO 3166-1 alpha-2 code of the country or territory';
COMMENT ON COLUMN mid_flags.country IS 'country or territory name';

CREATE TABLE zones (
    zone_id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    approximate BOOLEAN NOT NULL,
    valid_from TIMESTAMPTZ,
    valid_to TIMESTAMPTZ,
    wkt VARCHAR NOT NULL,
    fence_version VARCHAR NOT NULL
);
COMMENT ON TABLE zones IS 'Restricted waters and PLA announced exercise areas used by the zone detector, as WKT polygons (use ST_GeomFromText(wkt) with the spatial extension). Rewritten by every load.';
COMMENT ON COLUMN zones.zone_id IS 'zone identifier, as in zone_events.zone_id';
COMMENT ON COLUMN zones.name IS 'zone name; APPROXIMATE limits say so';
COMMENT ON COLUMN zones.kind IS 'restricted_waters or exercise_area';
COMMENT ON COLUMN zones.approximate IS 'the limit is an approximation, not official';
COMMENT ON COLUMN zones.valid_from IS 'UTC start of the period the zone is active (inclusive); NULL means always';
COMMENT ON COLUMN zones.valid_to IS 'UTC end of the period the zone is active (exclusive); NULL means open-ended';
COMMENT ON COLUMN zones.wkt IS 'Polygon or MultiPolygon, WKT, lon/lat degrees WGS84 (OGC:CRS84)';
COMMENT ON COLUMN zones.fence_version IS 'geofence set and version the zone was read from';

CREATE MACRO mid_of(mmsi) AS CASE
    WHEN mmsi IS NULL OR mmsi < 0 OR mmsi > 999999999 THEN NULL
    WHEN mmsi // 100000000 BETWEEN 2 AND 7 THEN mmsi // 1000000
    WHEN mmsi // 10000000 = 0 THEN (mmsi // 10000) % 1000
    WHEN mmsi // 100000000 = 0 THEN (mmsi // 100000) % 1000
    WHEN mmsi // 1000000 = 111 THEN (mmsi // 1000) % 1000
    WHEN mmsi // 100000000 = 8 THEN (mmsi // 100000) % 1000
    WHEN mmsi // 10000000 IN (98, 99) THEN (mmsi // 10000) % 1000
END;
COMMENT ON MACRO mid_of IS 'mid_of(mmsi): the MID an MMSI carries for its station class (ships, coast stations, groups, SAR aircraft, handhelds, AtoN, auxiliary craft); NULL for none';
CREATE MACRO flag_of(mmsi) AS (SELECT f.iso2 FROM mid_flags AS f WHERE f.mid = mid_of(mmsi));
COMMENT ON MACRO flag_of IS 'flag_of(mmsi): ISO 3166-1 alpha-2 code of the flag claimed by the MMSI''s MID; NULL when none';
CREATE MACRO ship_category(ship_type) AS CASE
    WHEN ship_type IS NULL OR ship_type <= 0 OR ship_type > 255 THEN NULL
    WHEN ship_type BETWEEN 20 AND 29 THEN 'wig'
    WHEN ship_type = 30 THEN 'fishing'
    WHEN ship_type IN (31, 32, 50, 51, 52, 53, 54, 56, 57, 58, 59) THEN 'tug_service'
    WHEN ship_type = 35 THEN 'military'
    WHEN ship_type IN (36, 37) THEN 'pleasure'
    WHEN ship_type BETWEEN 40 AND 49 THEN 'high_speed'
    WHEN ship_type = 55 THEN 'law_enforcement'
    WHEN ship_type BETWEEN 60 AND 69 THEN 'passenger'
    WHEN ship_type BETWEEN 70 AND 79 THEN 'cargo'
    WHEN ship_type BETWEEN 80 AND 89 THEN 'tanker'
    ELSE 'other'
END;
COMMENT ON MACRO ship_category IS 'ship_category(ship_type): category of an AIS ship-type code (wig, fishing, tug_service, military, pleasure, high_speed, law_enforcement, passenger, cargo, tanker, other); NULL for 0 or NULL';

CREATE VIEW vessels AS
SELECT
    mmsi,
    arg_max(shipname, ts) FILTER (WHERE shipname IS NOT NULL) AS shipname,
    arg_max(callsign, ts) FILTER (WHERE callsign IS NOT NULL) AS callsign,
    arg_max(imo, ts) FILTER (WHERE imo IS NOT NULL) AS imo,
    arg_max(ship_type, ts) FILTER (WHERE ship_type IS NOT NULL AND ship_type > 0) AS ship_type,
    ship_category(arg_max(ship_type, ts) FILTER (WHERE ship_type IS NOT NULL AND ship_type > 0)) AS category,
    flag_of(mmsi) AS flag,
    max(ts) AS last_static_ts
FROM vessel_static
GROUP BY mmsi;
COMMENT ON VIEW vessels IS 'One row per MMSI that sent static data: the last non-null name, call sign, IMO and ship type announced, the ship category and the flag its MID claims.';
COMMENT ON COLUMN vessels.mmsi IS 'MMSI';
COMMENT ON COLUMN vessels.shipname IS 'last announced name (hostile text: escape wherever shown)';
COMMENT ON COLUMN vessels.callsign IS 'last announced call sign (hostile text)';
COMMENT ON COLUMN vessels.imo IS 'last announced IMO number';
COMMENT ON COLUMN vessels.ship_type IS 'last announced AIS ship and cargo type code (0 ignored)';
COMMENT ON COLUMN vessels.category IS 'ship_category(ship_type)';
COMMENT ON COLUMN vessels.flag IS 'ISO 3166-1 alpha-2 flag claimed by the MID (flag_of(mmsi))';
COMMENT ON COLUMN vessels.last_static_ts IS 'UTC time of the last static report';
