-- purpose: every event carries the vessel's identity: name, call sign, IMO and ship type last
--          reported at or before end_ts, flag from the MMSI's MID and ship category
-- grain: one row per event (unchanged)
-- parameters: none
ALTER TABLE transits ADD COLUMN callsign VARCHAR;
ALTER TABLE transits ADD COLUMN imo INTEGER;
ALTER TABLE transits ADD COLUMN flag VARCHAR;
ALTER TABLE transits ADD COLUMN category VARCHAR;
COMMENT ON COLUMN transits.shipname IS 'name last reported at or before end_ts (hostile text: escape when shown)';
COMMENT ON COLUMN transits.callsign IS 'call sign last reported at or before end_ts';
COMMENT ON COLUMN transits.imo IS 'IMO number last reported at or before end_ts';
COMMENT ON COLUMN transits.ship_type IS 'AIS ship and cargo type last reported at or before end_ts';
COMMENT ON COLUMN transits.flag IS 'ISO 3166 alpha-2 of the MMSI MID (a claim; unreliable near Taiwan)';
COMMENT ON COLUMN transits.category IS 'ship category from ship_type (cargo, tanker, fishing, military, ...)';

ALTER TABLE median_line_crossings ADD COLUMN shipname VARCHAR;
ALTER TABLE median_line_crossings ADD COLUMN callsign VARCHAR;
ALTER TABLE median_line_crossings ADD COLUMN imo INTEGER;
ALTER TABLE median_line_crossings ADD COLUMN ship_type SMALLINT;
ALTER TABLE median_line_crossings ADD COLUMN flag VARCHAR;
ALTER TABLE median_line_crossings ADD COLUMN category VARCHAR;
COMMENT ON COLUMN median_line_crossings.shipname IS 'name last reported at or before end_ts (hostile text: escape when shown)';
COMMENT ON COLUMN median_line_crossings.callsign IS 'call sign last reported at or before end_ts';
COMMENT ON COLUMN median_line_crossings.imo IS 'IMO number last reported at or before end_ts';
COMMENT ON COLUMN median_line_crossings.ship_type IS 'AIS ship and cargo type last reported at or before end_ts';
COMMENT ON COLUMN median_line_crossings.flag IS 'ISO 3166 alpha-2 of the MMSI MID (a claim; unreliable near Taiwan)';
COMMENT ON COLUMN median_line_crossings.category IS 'ship category from ship_type (cargo, tanker, fishing, military, ...)';

ALTER TABLE zone_events ADD COLUMN shipname VARCHAR;
ALTER TABLE zone_events ADD COLUMN callsign VARCHAR;
ALTER TABLE zone_events ADD COLUMN imo INTEGER;
ALTER TABLE zone_events ADD COLUMN ship_type SMALLINT;
ALTER TABLE zone_events ADD COLUMN flag VARCHAR;
ALTER TABLE zone_events ADD COLUMN category VARCHAR;
COMMENT ON COLUMN zone_events.shipname IS 'name last reported at or before end_ts (hostile text: escape when shown)';
COMMENT ON COLUMN zone_events.callsign IS 'call sign last reported at or before end_ts';
COMMENT ON COLUMN zone_events.imo IS 'IMO number last reported at or before end_ts';
COMMENT ON COLUMN zone_events.ship_type IS 'AIS ship and cargo type last reported at or before end_ts';
COMMENT ON COLUMN zone_events.flag IS 'ISO 3166 alpha-2 of the MMSI MID (a claim; unreliable near Taiwan)';
COMMENT ON COLUMN zone_events.category IS 'ship category from ship_type (cargo, tanker, fishing, military, ...)';

ALTER TABLE loitering_events ADD COLUMN shipname VARCHAR;
ALTER TABLE loitering_events ADD COLUMN callsign VARCHAR;
ALTER TABLE loitering_events ADD COLUMN imo INTEGER;
ALTER TABLE loitering_events ADD COLUMN ship_type SMALLINT;
ALTER TABLE loitering_events ADD COLUMN flag VARCHAR;
ALTER TABLE loitering_events ADD COLUMN category VARCHAR;
COMMENT ON COLUMN loitering_events.shipname IS 'name last reported at or before end_ts (hostile text: escape when shown)';
COMMENT ON COLUMN loitering_events.callsign IS 'call sign last reported at or before end_ts';
COMMENT ON COLUMN loitering_events.imo IS 'IMO number last reported at or before end_ts';
COMMENT ON COLUMN loitering_events.ship_type IS 'AIS ship and cargo type last reported at or before end_ts';
COMMENT ON COLUMN loitering_events.flag IS 'ISO 3166 alpha-2 of the MMSI MID (a claim; unreliable near Taiwan)';
COMMENT ON COLUMN loitering_events.category IS 'ship category from ship_type (cargo, tanker, fishing, military, ...)';

ALTER TABLE gap_events ADD COLUMN shipname VARCHAR;
ALTER TABLE gap_events ADD COLUMN callsign VARCHAR;
ALTER TABLE gap_events ADD COLUMN imo INTEGER;
ALTER TABLE gap_events ADD COLUMN ship_type SMALLINT;
ALTER TABLE gap_events ADD COLUMN flag VARCHAR;
ALTER TABLE gap_events ADD COLUMN category VARCHAR;
COMMENT ON COLUMN gap_events.shipname IS 'name last reported at or before end_ts (hostile text: escape when shown)';
COMMENT ON COLUMN gap_events.callsign IS 'call sign last reported at or before end_ts';
COMMENT ON COLUMN gap_events.imo IS 'IMO number last reported at or before end_ts';
COMMENT ON COLUMN gap_events.ship_type IS 'AIS ship and cargo type last reported at or before end_ts';
COMMENT ON COLUMN gap_events.flag IS 'ISO 3166 alpha-2 of the MMSI MID (a claim; unreliable near Taiwan)';
COMMENT ON COLUMN gap_events.category IS 'ship category from ship_type (cargo, tanker, fishing, military, ...)';

ALTER TABLE encounters ADD COLUMN shipname VARCHAR;
ALTER TABLE encounters ADD COLUMN callsign VARCHAR;
ALTER TABLE encounters ADD COLUMN imo INTEGER;
ALTER TABLE encounters ADD COLUMN ship_type SMALLINT;
ALTER TABLE encounters ADD COLUMN flag VARCHAR;
ALTER TABLE encounters ADD COLUMN category VARCHAR;
COMMENT ON COLUMN encounters.shipname IS 'name last reported at or before end_ts (hostile text: escape when shown)';
COMMENT ON COLUMN encounters.callsign IS 'call sign last reported at or before end_ts';
COMMENT ON COLUMN encounters.imo IS 'IMO number last reported at or before end_ts';
COMMENT ON COLUMN encounters.ship_type IS 'AIS ship and cargo type last reported at or before end_ts';
COMMENT ON COLUMN encounters.flag IS 'ISO 3166 alpha-2 of the MMSI MID (a claim; unreliable near Taiwan)';
COMMENT ON COLUMN encounters.category IS 'ship category from ship_type (cargo, tanker, fishing, military, ...)';

ALTER TABLE port_calls ADD COLUMN shipname VARCHAR;
ALTER TABLE port_calls ADD COLUMN callsign VARCHAR;
ALTER TABLE port_calls ADD COLUMN imo INTEGER;
ALTER TABLE port_calls ADD COLUMN ship_type SMALLINT;
ALTER TABLE port_calls ADD COLUMN flag VARCHAR;
ALTER TABLE port_calls ADD COLUMN category VARCHAR;
COMMENT ON COLUMN port_calls.shipname IS 'name last reported at or before end_ts (hostile text: escape when shown)';
COMMENT ON COLUMN port_calls.callsign IS 'call sign last reported at or before end_ts';
COMMENT ON COLUMN port_calls.imo IS 'IMO number last reported at or before end_ts';
COMMENT ON COLUMN port_calls.ship_type IS 'AIS ship and cargo type last reported at or before end_ts';
COMMENT ON COLUMN port_calls.flag IS 'ISO 3166 alpha-2 of the MMSI MID (a claim; unreliable near Taiwan)';
COMMENT ON COLUMN port_calls.category IS 'ship category from ship_type (cargo, tanker, fishing, military, ...)';

ALTER TABLE identity_anomalies ADD COLUMN shipname VARCHAR;
ALTER TABLE identity_anomalies ADD COLUMN callsign VARCHAR;
ALTER TABLE identity_anomalies ADD COLUMN imo INTEGER;
ALTER TABLE identity_anomalies ADD COLUMN ship_type SMALLINT;
ALTER TABLE identity_anomalies ADD COLUMN flag VARCHAR;
ALTER TABLE identity_anomalies ADD COLUMN category VARCHAR;
COMMENT ON COLUMN identity_anomalies.shipname IS 'name last reported at or before end_ts (hostile text: escape when shown)';
COMMENT ON COLUMN identity_anomalies.callsign IS 'call sign last reported at or before end_ts';
COMMENT ON COLUMN identity_anomalies.imo IS 'IMO number last reported at or before end_ts';
COMMENT ON COLUMN identity_anomalies.ship_type IS 'AIS ship and cargo type last reported at or before end_ts';
COMMENT ON COLUMN identity_anomalies.flag IS 'ISO 3166 alpha-2 of the MMSI MID (a claim; unreliable near Taiwan)';
COMMENT ON COLUMN identity_anomalies.category IS 'ship category from ship_type (cargo, tanker, fishing, military, ...)';
