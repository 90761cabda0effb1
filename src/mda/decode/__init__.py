"""Raw lines to Arrow tables.  pyais is the decoder of record; its objects never leave here."""
