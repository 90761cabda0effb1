-- purpose: attach a run's sealed staging database (mda.store.stage) read-only as "stage"
-- grain: none
-- parameters: $path (the staging file as a quoted SQL string literal: ATTACH takes no bound parameter)
ATTACH $path AS stage (READ_ONLY)
