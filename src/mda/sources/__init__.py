"""Input sources: each turns one kind of feed into numbered raw lines, and nothing more."""
