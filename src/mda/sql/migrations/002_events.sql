-- purpose: event tables for every detector; transits gain closed_ts and lose the unstable track_id
-- grain: one row per event (see each table's comment); every event is written by the run whose
--        interval contains its closed_ts
-- parameters: none
ALTER TABLE transits DROP COLUMN track_id;
ALTER TABLE transits ADD COLUMN closed_ts TIMESTAMPTZ;
UPDATE transits SET closed_ts = end_ts;
COMMENT ON COLUMN transits.closed_ts IS 'UTC time of the first fix past the exit gate; the run whose interval contains it wrote the transit';

CREATE TABLE median_line_crossings (
    event_id VARCHAR PRIMARY KEY,
    mmsi INTEGER NOT NULL,
    start_ts TIMESTAMPTZ NOT NULL,
    end_ts TIMESTAMPTZ NOT NULL,
    closed_ts TIMESTAMPTZ NOT NULL,
    direction VARCHAR,
    lon DOUBLE,
    lat DOUBLE,
    fence_version VARCHAR NOT NULL,
    params_version VARCHAR NOT NULL
);
COMMENT ON TABLE median_line_crossings IS 'Every crossing of the Taiwan Strait median line (ROC MND 2019, unofficial; not recognised by the PRC): direction and interpolated time and point.';
COMMENT ON COLUMN median_line_crossings.event_id IS 'deterministic: hash of mmsi, event type, start and fence version';
COMMENT ON COLUMN median_line_crossings.start_ts IS 'event start (UTC)';
COMMENT ON COLUMN median_line_crossings.end_ts IS 'event end (UTC)';
COMMENT ON COLUMN median_line_crossings.closed_ts IS 'when the data proved the event over; the run whose interval has it emits it (UTC)';
COMMENT ON COLUMN median_line_crossings.direction IS 'W->E (towards Taiwan) or E->W';
COMMENT ON COLUMN median_line_crossings.lon IS 'degree';
COMMENT ON COLUMN median_line_crossings.lat IS 'degree';

CREATE TABLE zone_events (
    event_id VARCHAR PRIMARY KEY,
    mmsi INTEGER NOT NULL,
    start_ts TIMESTAMPTZ NOT NULL,
    end_ts TIMESTAMPTZ NOT NULL,
    closed_ts TIMESTAMPTZ NOT NULL,
    zone_id VARCHAR,
    zone_name VARCHAR,
    zone_kind VARCHAR,
    approximate BOOLEAN,
    dwell_s DOUBLE,
    entry_lon DOUBLE,
    entry_lat DOUBLE,
    fence_version VARCHAR NOT NULL,
    params_version VARCHAR NOT NULL
);
COMMENT ON TABLE zone_events IS 'One visit to restricted waters (Taiwan 12/24 nm and Kinmen limits are APPROXIMATE, see approximate) or to a PLA exercise area while it was active: entry (start_ts), exit (end_ts) and dwell.';
COMMENT ON COLUMN zone_events.event_id IS 'deterministic: hash of mmsi, event type, start and fence version';
COMMENT ON COLUMN zone_events.start_ts IS 'event start (UTC)';
COMMENT ON COLUMN zone_events.end_ts IS 'event end (UTC)';
COMMENT ON COLUMN zone_events.closed_ts IS 'when the data proved the event over; the run whose interval has it emits it (UTC)';
COMMENT ON COLUMN zone_events.zone_kind IS 'restricted_waters or exercise_area';
COMMENT ON COLUMN zone_events.approximate IS 'the zone''s limit is an approximation, not official';
COMMENT ON COLUMN zone_events.dwell_s IS 'second';
COMMENT ON COLUMN zone_events.entry_lon IS 'degree';
COMMENT ON COLUMN zone_events.entry_lat IS 'degree';

CREATE TABLE loitering_events (
    event_id VARCHAR PRIMARY KEY,
    mmsi INTEGER NOT NULL,
    start_ts TIMESTAMPTZ NOT NULL,
    end_ts TIMESTAMPTZ NOT NULL,
    closed_ts TIMESTAMPTZ NOT NULL,
    duration_s DOUBLE,
    lon DOUBLE,
    lat DOUBLE,
    fixes INTEGER,
    median_sog_knots DOUBLE,
    fence_version VARCHAR NOT NULL,
    params_version VARCHAR NOT NULL
);
COMMENT ON TABLE loitering_events IS 'Speed over ground below 2 kn for at least 2 h inside the strait area, away from ports and anchorages.';
COMMENT ON COLUMN loitering_events.event_id IS 'deterministic: hash of mmsi, event type, start and fence version';
COMMENT ON COLUMN loitering_events.start_ts IS 'event start (UTC)';
COMMENT ON COLUMN loitering_events.end_ts IS 'event end (UTC)';
COMMENT ON COLUMN loitering_events.closed_ts IS 'when the data proved the event over; the run whose interval has it emits it (UTC)';
COMMENT ON COLUMN loitering_events.duration_s IS 'second';
COMMENT ON COLUMN loitering_events.lon IS 'median position (degree)';
COMMENT ON COLUMN loitering_events.lat IS 'median position (degree)';
COMMENT ON COLUMN loitering_events.median_sog_knots IS 'knot';

CREATE TABLE gap_events (
    event_id VARCHAR PRIMARY KEY,
    mmsi INTEGER NOT NULL,
    start_ts TIMESTAMPTZ NOT NULL,
    end_ts TIMESTAMPTZ NOT NULL,
    closed_ts TIMESTAMPTZ NOT NULL,
    duration_s DOUBLE,
    start_lon DOUBLE,
    start_lat DOUBLE,
    end_lon DOUBLE,
    end_lat DOUBLE,
    distance_m DOUBLE,
    implied_speed_knots DOUBLE,
    fence_version VARCHAR NOT NULL,
    params_version VARCHAR NOT NULL
);
COMMENT ON TABLE gap_events IS 'AIS silence of at least 6 h by a vessel that was underway, with the fixes before and after in or near the strait.';
COMMENT ON COLUMN gap_events.event_id IS 'deterministic: hash of mmsi, event type, start and fence version';
COMMENT ON COLUMN gap_events.start_ts IS 'event start (UTC)';
COMMENT ON COLUMN gap_events.end_ts IS 'event end (UTC)';
COMMENT ON COLUMN gap_events.closed_ts IS 'when the data proved the event over; the run whose interval has it emits it (UTC)';
COMMENT ON COLUMN gap_events.duration_s IS 'second';
COMMENT ON COLUMN gap_events.start_lon IS 'last fix before the gap (degree)';
COMMENT ON COLUMN gap_events.start_lat IS 'degree';
COMMENT ON COLUMN gap_events.end_lon IS 'first fix after the gap (degree)';
COMMENT ON COLUMN gap_events.end_lat IS 'degree';
COMMENT ON COLUMN gap_events.distance_m IS 'metre';
COMMENT ON COLUMN gap_events.implied_speed_knots IS 'knot';

CREATE TABLE encounters (
    event_id VARCHAR PRIMARY KEY,
    mmsi INTEGER NOT NULL,
    start_ts TIMESTAMPTZ NOT NULL,
    end_ts TIMESTAMPTZ NOT NULL,
    closed_ts TIMESTAMPTZ NOT NULL,
    other_mmsi INTEGER,
    duration_s DOUBLE,
    lon DOUBLE,
    lat DOUBLE,
    median_distance_m DOUBLE,
    fence_version VARCHAR NOT NULL,
    params_version VARCHAR NOT NULL
);
COMMENT ON TABLE encounters IS 'Two vessels within 500 m for at least 2 h with median speed below 2 kn, away from ports (one row per pair, mmsi < other_mmsi).';
COMMENT ON COLUMN encounters.event_id IS 'deterministic: hash of mmsi, event type, start and fence version';
COMMENT ON COLUMN encounters.start_ts IS 'event start (UTC)';
COMMENT ON COLUMN encounters.end_ts IS 'event end (UTC)';
COMMENT ON COLUMN encounters.closed_ts IS 'when the data proved the event over; the run whose interval has it emits it (UTC)';
COMMENT ON COLUMN encounters.duration_s IS 'second';
COMMENT ON COLUMN encounters.lon IS 'median position (degree)';
COMMENT ON COLUMN encounters.lat IS 'median position (degree)';
COMMENT ON COLUMN encounters.median_distance_m IS 'metre';

CREATE TABLE port_calls (
    event_id VARCHAR PRIMARY KEY,
    mmsi INTEGER NOT NULL,
    start_ts TIMESTAMPTZ NOT NULL,
    end_ts TIMESTAMPTZ NOT NULL,
    closed_ts TIMESTAMPTZ NOT NULL,
    port VARCHAR,
    country VARCHAR,
    duration_s DOUBLE,
    fence_version VARCHAR NOT NULL,
    params_version VARCHAR NOT NULL
);
COMMENT ON TABLE port_calls IS 'Entry into a port or anchorage area (within 3 km), a stop (below 0.2 kn) and exit (beyond 4 km).';
COMMENT ON COLUMN port_calls.event_id IS 'deterministic: hash of mmsi, event type, start and fence version';
COMMENT ON COLUMN port_calls.start_ts IS 'event start (UTC)';
COMMENT ON COLUMN port_calls.end_ts IS 'event end (UTC)';
COMMENT ON COLUMN port_calls.closed_ts IS 'when the data proved the event over; the run whose interval has it emits it (UTC)';
COMMENT ON COLUMN port_calls.country IS 'ISO 3166 alpha-2 of the port''s country';
COMMENT ON COLUMN port_calls.duration_s IS 'second';

CREATE TABLE identity_anomalies (
    event_id VARCHAR PRIMARY KEY,
    mmsi INTEGER NOT NULL,
    start_ts TIMESTAMPTZ NOT NULL,
    end_ts TIMESTAMPTZ NOT NULL,
    closed_ts TIMESTAMPTZ NOT NULL,
    anomaly VARCHAR,
    other_mmsi INTEGER,
    detail VARCHAR,
    fence_version VARCHAR NOT NULL,
    params_version VARCHAR NOT NULL
);
COMMENT ON TABLE identity_anomalies IS 'Shared MMSIs, identity swaps and MMSIs announcing several names or IMOs in a day.';
COMMENT ON COLUMN identity_anomalies.event_id IS 'deterministic: hash of mmsi, event type, start and fence version';
COMMENT ON COLUMN identity_anomalies.start_ts IS 'event start (UTC)';
COMMENT ON COLUMN identity_anomalies.end_ts IS 'event end (UTC)';
COMMENT ON COLUMN identity_anomalies.closed_ts IS 'when the data proved the event over; the run whose interval has it emits it (UTC)';
COMMENT ON COLUMN identity_anomalies.anomaly IS 'shared_mmsi, identity_swap or several_names';
