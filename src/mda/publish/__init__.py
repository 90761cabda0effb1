"""Published artefacts: maps, statistics, exports. Only :mod:`mda.publish.write` writes files."""
