"""Input sources: files of every AIS format (detected, decoded in chunks) and live collectors."""
