"""Airflow glue shared by the mda DAG files: assets, pool, defaults, notifier, context helpers.

Nothing here does work at import time; the mda library is imported inside the tasks.
"""
