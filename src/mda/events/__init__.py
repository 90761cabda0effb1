"""Event detectors: pure functions from tracks (Arrow) to event tables (Arrow)."""
