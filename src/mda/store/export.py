"""Exports of the store's logs as CSV, GeoParquet or GeoJSON, streamed in Arrow record batches.

Filters are bound parameters of one SQL file per log (``mda/sql/store/export_filtered_*.sql``);
no value is ever spliced into SQL text.  Rows are read from the read-only snapshot in batches of
:data:`BATCH_ROWS` and written batch by batch, so an export's memory does not grow with its size.

Formats
-------
CSV
    Times ISO 8601 UTC (``YYYY-MM-DDTHH:MM:SSZ``), floats rounded to 6 decimals, NULL empty.
    Text cells starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return get a leading
    ``'`` so spreadsheets do not run them as formulas (OWASP "CSV injection"); numeric columns
    are left as they are.
GeoParquet
    Typed columns plus ``geometry`` (WKB) and the ``geo`` file metadata of GeoParquet 1.1
    (CRS OGC:CRS84, lon/lat degrees).  Logs without coordinates are plain Parquet.
GeoJSON
    An RFC 7946 FeatureCollection: ``[lon, lat]`` positions, points for point-like events,
    a LineString from entry to exit for transits, ``null`` geometry where there is no position.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import shapely

from mda.schemas import EVENT_TABLES
from mda.store.sql import statement

#: Logs ``mda export`` writes: the event tables and the decoded positions.
EXPORT_TABLES = (*EVENT_TABLES, "positions")
FORMATS = ("csv", "parquet", "geojson")
#: Rows per Arrow record batch read from DuckDB and written out.
BATCH_ROWS = 65_536

#: Geometry of each log: ("point", lon, lat) or ("line", lon1, lat1, lon2, lat2) columns.
GEOMETRY: dict[str, tuple[str, ...]] = {
    "transits": ("line", "entry_lon", "entry_lat", "exit_lon", "exit_lat"),
    "median_line_crossings": ("point", "lon", "lat"),
    "zone_events": ("point", "entry_lon", "entry_lat"),
    "loitering_events": ("point", "lon", "lat"),
    "gap_events": ("point", "start_lon", "start_lat"),
    "encounters": ("point", "lon", "lat"),
    "positions": ("point", "lon", "lat"),
}
_FORMULA = r"^[=+\-@\t\r]"
_ISO = "%Y-%m-%dT%H:%M:%SZ"


class ExportError(Exception):
    """An export cannot be made as asked; the message is one line for the user."""


@dataclass(frozen=True)
class ExportFilters:
    """Row filters of an export; None means no filter.

    Attributes
    ----------
    day_from, day_to : date, optional
        First and last UTC day (inclusive) of ``start_ts`` (``ts`` for positions); the bound
        used is the half-open interval ``[day_from 00:00Z, day_to + 1 day 00:00Z)``.
    mmsi : int, optional
    flag : str, optional
        ISO 3166-1 alpha-2 code claimed by the MMSI's MID (e.g. ``TW``).
    direction : str, optional
        ``northbound``/``southbound`` (transits) or ``W->E``/``E->W`` (median-line crossings).
    category : str, optional
        Ship category of the vessel's last announced ship type (``cargo``, ``military``, ...).
    """

    day_from: dt.date | None = None
    day_to: dt.date | None = None
    mmsi: int | None = None
    flag: str | None = None
    direction: str | None = None
    category: str | None = None

    def parameters(self) -> dict[str, Any]:
        """Bound parameter values of the export SQL files."""
        start = end = None
        if self.day_from is not None:
            start = dt.datetime.combine(self.day_from, dt.time(), dt.UTC)
        if self.day_to is not None:
            end = dt.datetime.combine(self.day_to, dt.time(), dt.UTC) + dt.timedelta(days=1)
        return {
            "start": start,
            "end": end,
            "mmsi": self.mmsi,
            "flag": self.flag,
            "direction": self.direction,
            "category": self.category,
        }


def format_of(out: Path, fmt: str | None = None) -> str:
    """The export format: ``fmt`` if given, else from the file suffix (csv, parquet, geojson)."""
    chosen = fmt or out.suffix.lower().lstrip(".")
    chosen = {"json": "geojson", "pq": "parquet"}.get(chosen, chosen)
    if chosen not in FORMATS:
        raise ExportError(f"cannot tell the format of {out}; use .csv, .parquet or .geojson")
    return chosen


def batches(con: duckdb.DuckDBPyConnection, table: str, filters: ExportFilters) -> pa.RecordBatchReader:
    """Stream the rows of ``table`` matching ``filters`` as Arrow record batches."""
    if table not in EXPORT_TABLES:
        raise ExportError(f"unknown log {table!r}; choose from {', '.join(EXPORT_TABLES)}")
    sql = statement(f"store/export_filtered_{table}")
    wanted = set(re.findall(r"\$(\w+)", sql))
    params = filters.parameters()
    unused = sorted(k for k, v in params.items() if v is not None and k not in wanted)
    if unused:
        raise ExportError(f"{table} cannot be filtered by {', '.join(unused)}")
    bound = {k: v for k, v in params.items() if k in wanted}
    return con.execute(sql, bound).to_arrow_reader(BATCH_ROWS)


def export(
    con: duckdb.DuckDBPyConnection,
    table: str,
    out: Path,
    filters: ExportFilters | None = None,
    fmt: str | None = None,
) -> int:
    """Write ``table`` (filtered) to ``out`` atomically; return the number of rows.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A connection to the snapshot (read-only is enough).
    table : str
        One of :data:`EXPORT_TABLES`.
    out : Path
        File to write; replaced only once complete.
    filters : ExportFilters, optional
    fmt : str, optional
        ``csv``, ``parquet`` or ``geojson``; default from the suffix of ``out``.
    """
    chosen = format_of(out, fmt)
    stream = batches(con, table, filters or ExportFilters())
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        writers = {"csv": _write_csv, "parquet": _write_parquet, "geojson": _write_geojson}
        count = writers[chosen](stream, table, tmp)
        tmp.replace(out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return count


def csv_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Format one batch for CSV: ISO UTC times, floats to 6 decimals, formulas neutralised."""
    columns: list[Any] = []
    column: Any
    for field, column in zip(batch.schema, batch.columns, strict=True):
        if pa.types.is_timestamp(field.type):
            column = pc.strftime(pc.cast(column, pa.timestamp("s", tz="UTC"), safe=False), format=_ISO)
        elif pa.types.is_floating(field.type):
            column = pc.round(column, 6)
        elif pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            risky = pc.match_substring_regex(column, _FORMULA)
            column = pc.if_else(risky, pc.binary_join_element_wise("'", column, ""), column)
        columns.append(column)
    return pa.RecordBatch.from_arrays(columns, names=batch.schema.names)


def _empty(schema: pa.Schema) -> pa.RecordBatch:
    return pa.RecordBatch.from_pylist([], schema=schema)


def _write_csv(stream: pa.RecordBatchReader, table: str, path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(stream.schema.names)
        for batch in stream:
            formatted = csv_batch(batch)
            columns = [c.to_pylist() for c in formatted.columns]
            writer.writerows([["" if v is None else v for v in row] for row in zip(*columns, strict=True)])
            count += batch.num_rows
    return count


def _geometry(batch: pa.RecordBatch, table: str) -> Any:
    """Shapely geometries of the batch's rows (None where a coordinate is NULL)."""
    spec = GEOMETRY[table]
    coords = [batch.column(name).to_numpy(zero_copy_only=False).astype(float) for name in spec[1:]]
    if spec[0] == "point":
        geoms = shapely.points(coords[0], coords[1])
    else:
        import numpy as np

        pts = np.stack([np.stack([coords[0], coords[1]], 1), np.stack([coords[2], coords[3]], 1)], 1)
        geoms = shapely.linestrings(pts)
    missing = None
    for c in coords:
        nan = ~(c == c)  # NaN marks NULL after the float conversion
        missing = nan if missing is None else missing | nan
    geoms[missing] = None
    return geoms


def _with_geometry(batch: pa.RecordBatch, table: str) -> pa.RecordBatch:
    if table not in GEOMETRY:
        return batch
    wkb = pa.array(shapely.to_wkb(_geometry(batch, table)), pa.binary())
    return pa.RecordBatch.from_arrays([*batch.columns, wkb], names=[*batch.schema.names, "geometry"])


def _write_parquet(stream: pa.RecordBatchReader, table: str, path: Path) -> int:
    count = 0
    schema = _with_geometry(_empty(stream.schema), table).schema
    spec = GEOMETRY.get(table)
    if spec is not None:
        schema = schema.with_metadata({b"geo": json.dumps(_geo_metadata(spec[0])).encode()})
    with pq.ParquetWriter(str(path), schema) as writer:
        for batch in stream:
            writer.write_batch(_with_geometry(batch, table).replace_schema_metadata(schema.metadata))
            count += batch.num_rows
    return count


def _geo_metadata(kind: str) -> dict[str, Any]:
    """GeoParquet 1.1 ``geo`` metadata (CRS omitted: OGC:CRS84, lon/lat degrees)."""
    return {
        "version": "1.1.0",
        "primary_column": "geometry",
        "columns": {
            "geometry": {
                "encoding": "WKB",
                "geometry_types": ["LineString" if kind == "line" else "Point"],
            }
        },
    }


def _json_value(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime(_ISO)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, bytes):
        return value.hex()
    return value


def _write_geojson(stream: pa.RecordBatchReader, table: str, path: Path) -> int:
    count = 0
    spec = GEOMETRY.get(table)
    with path.open("w", encoding="utf-8") as handle:
        handle.write('{"type":"FeatureCollection","features":[')
        for batch in stream:
            geoms = _geometry(batch, table) if spec is not None else [None] * batch.num_rows
            for k, (row, geom) in enumerate(zip(batch.to_pylist(), geoms, strict=True)):
                feature = {
                    "type": "Feature",
                    "geometry": None if geom is None else json.loads(shapely.to_geojson(geom)),
                    "properties": {key: _json_value(v) for key, v in row.items()},
                }
                handle.write(("," if count + k else "\n") + json.dumps(feature, allow_nan=False) + "\n")
            count += batch.num_rows
        handle.write("]}\n")
    return count


def neutralise(value: object) -> object:
    """A text cell with a leading ``'`` when a spreadsheet would run it as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
