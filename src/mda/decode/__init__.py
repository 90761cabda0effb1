"""Lines of any AIS feed format to Arrow tables; pyais is the decoder of record for NMEA.

``nmea`` (raw NMEA 0183), ``aisstream`` (aisstream.io JSON) and ``csv_archive`` (MarineCadastre,
Danish Maritime Authority) decode to the shared schemas with one line accounting
(:mod:`mda.decode.batch`); per-message objects never leave this package.
"""
