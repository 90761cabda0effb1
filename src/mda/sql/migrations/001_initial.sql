-- purpose: initial schema: decoded positions and static reports, rejected lines, transits, runs
-- grain: see each table's comment
-- parameters: none
CREATE TABLE positions (
    ts TIMESTAMPTZ NOT NULL,
    mmsi INTEGER NOT NULL,
    msg_type TINYINT NOT NULL,
    lon DOUBLE NOT NULL,
    lat DOUBLE NOT NULL,
    speed REAL,
    course REAL,
    heading SMALLINT,
    status TINYINT,
    station VARCHAR,
    source VARCHAR NOT NULL,
    line_no BIGINT NOT NULL
);
COMMENT ON TABLE positions IS 'One decoded AIS position report (types 1/2/3/18/19/27) with a valid position; ts is the UTC receive time.';
COMMENT ON COLUMN positions.ts IS 'UTC receive time (tag block c:, CSV or JSON time)';
COMMENT ON COLUMN positions.mmsi IS 'MMSI as transmitted';
COMMENT ON COLUMN positions.msg_type IS 'AIS message type';
COMMENT ON COLUMN positions.lon IS 'longitude, degrees WGS84';
COMMENT ON COLUMN positions.lat IS 'latitude, degrees WGS84';
COMMENT ON COLUMN positions.speed IS 'speed over ground, knots; NULL when not available';
COMMENT ON COLUMN positions.course IS 'course over ground, degrees; NULL when not available';
COMMENT ON COLUMN positions.heading IS 'true heading, degrees; NULL when not available';
COMMENT ON COLUMN positions.status IS 'navigational status (class A only)';
COMMENT ON COLUMN positions.station IS 'receiving station (tag block s:)';
COMMENT ON COLUMN positions.source IS 'input file or feed the line came from';
COMMENT ON COLUMN positions.line_no IS '1-based line number of the first sentence in its source';

CREATE TABLE vessel_static (
    ts TIMESTAMPTZ NOT NULL,
    mmsi INTEGER NOT NULL,
    msg_type TINYINT NOT NULL,
    part TINYINT,
    imo INTEGER,
    callsign VARCHAR,
    shipname VARCHAR,
    ship_type SMALLINT,
    to_bow SMALLINT,
    to_stern SMALLINT,
    to_port SMALLINT,
    to_starboard SMALLINT,
    draught REAL,
    destination VARCHAR,
    source VARCHAR NOT NULL,
    line_no BIGINT NOT NULL
);
COMMENT ON TABLE vessel_static IS 'One decoded static/voyage report (types 5, 19, 24). shipname and destination are hostile text typed by the crew: escape them wherever shown.';
COMMENT ON COLUMN vessel_static.ts IS 'UTC receive time';
COMMENT ON COLUMN vessel_static.part IS 'message 24 part number: 0 = A (name), 1 = B (type, callsign, size)';
COMMENT ON COLUMN vessel_static.imo IS 'IMO number; NULL when not given';
COMMENT ON COLUMN vessel_static.ship_type IS 'AIS ship and cargo type code (ITU-R M.1371 table 53)';
COMMENT ON COLUMN vessel_static.to_bow IS 'metres from reference point to bow';
COMMENT ON COLUMN vessel_static.draught IS 'draught, metres';

CREATE TABLE rejects (
    ts TIMESTAMPTZ,
    source VARCHAR NOT NULL,
    line_no BIGINT NOT NULL,
    reason VARCHAR NOT NULL,
    detail VARCHAR,
    raw VARCHAR NOT NULL
);
COMMENT ON TABLE rejects IS 'Every input line that did not become a decoded message, with the reason (duplicate, not_ais, bad_checksum, empty_payload, orphan_fragment, no_timestamp, ...). ts is NULL when the line carried no time.';

CREATE TABLE transits (
    event_id VARCHAR PRIMARY KEY,
    mmsi INTEGER NOT NULL,
    track_id INTEGER NOT NULL,
    direction VARCHAR NOT NULL,
    entry_gate VARCHAR NOT NULL,
    exit_gate VARCHAR NOT NULL,
    start_ts TIMESTAMPTZ NOT NULL,
    end_ts TIMESTAMPTZ NOT NULL,
    duration_s DOUBLE NOT NULL,
    entry_lon DOUBLE NOT NULL,
    entry_lat DOUBLE NOT NULL,
    exit_lon DOUBLE NOT NULL,
    exit_lat DOUBLE NOT NULL,
    shipname VARCHAR,
    ship_type SMALLINT,
    fence_version VARCHAR NOT NULL,
    params_version VARCHAR NOT NULL
);
COMMENT ON TABLE transits IS 'One strait transit: inbound crossing of one gate, then outbound crossing of the other within 72 h. Emitted by the run whose interval contains end_ts.';
COMMENT ON COLUMN transits.event_id IS 'deterministic: hash of mmsi, event type, start_ts and fence version';
COMMENT ON COLUMN transits.direction IS 'northbound (entered by the south gate) or southbound';
COMMENT ON COLUMN transits.start_ts IS 'UTC crossing time of the entry gate, interpolated between the fixes that straddle it';
COMMENT ON COLUMN transits.end_ts IS 'UTC crossing time of the exit gate';
COMMENT ON COLUMN transits.duration_s IS 'end_ts - start_ts, seconds';

CREATE TABLE mda_runs (
    run_id VARCHAR PRIMARY KEY,
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ NOT NULL,
    interval_start TIMESTAMPTZ NOT NULL,
    interval_end TIMESTAMPTZ NOT NULL,
    sources VARCHAR NOT NULL,
    lines_in BIGINT NOT NULL,
    decoded BIGINT NOT NULL,
    duplicates BIGINT NOT NULL,
    non_ais BIGINT NOT NULL,
    rejected BIGINT NOT NULL,
    accounting VARCHAR NOT NULL,
    row_counts VARCHAR NOT NULL,
    mda_version VARCHAR NOT NULL,
    fence_version VARCHAR NOT NULL,
    params_version VARCHAR NOT NULL,
    duration_s DOUBLE NOT NULL
);
COMMENT ON TABLE mda_runs IS 'One pipeline run: its interval [interval_start, interval_end), inputs, line accounting (lines_in = decoded + duplicates + non_ais + rejected), versions and row counts.';
COMMENT ON COLUMN mda_runs.accounting IS 'JSON: per source, lines by outcome, rejects by reason, messages by type';
COMMENT ON COLUMN mda_runs.row_counts IS 'JSON: rows written per table for the interval';
