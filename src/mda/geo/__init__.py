"""Geofences (versioned GeoJSON under ``geodata/``) and vectorised geometry operations."""
