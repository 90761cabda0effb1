"""Positions to vessel tracks: ordered, deduplicated, split where one MMSI is not one ship."""
