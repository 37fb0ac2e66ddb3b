#!/usr/bin/env python3
"""Turns the JSON lines of `regimen simulate-population --export DIR` into Parquet.

usage: jsonl_to_parquet.py DIR [DIR ...] OUT

Writes OUT/profiles.parquet (user_id, profile, routine), OUT/records.parquet (user_id, seq,
record, safety_stops) and OUT/decisions.parquet (user_id, decision): the same rows, with the
base64 of each protobuf message decoded into a binary column; several DIRs (exports of
disjoint user ranges, --first-user) are concatenated in the order given. Streams: memory stays flat however
many users the export holds. Needs pyarrow (examples/spark/requirements.txt).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
from typing import Dict, List

import pyarrow as pa
import pyarrow.parquet as pq

# Per file: its columns, and which of them hold a protobuf message in base64.
TABLES: Dict[str, pa.Schema] = {
    "profiles": pa.schema([("user_id", pa.int64()), ("profile", pa.binary()),
                           ("routine", pa.binary())]),
    "records": pa.schema([("user_id", pa.int64()), ("seq", pa.int32()), ("record", pa.binary()),
                          ("safety_stops", pa.int32())]),
    "decisions": pa.schema([("user_id", pa.int64()), ("decision", pa.binary())]),
}
ROWS_PER_GROUP = 50_000


def convert(sources: List[str], target: str, schema: pa.Schema) -> int:
    """Writes the lines of `sources` as a Parquet file at `target`; returns the number of rows."""
    binary = {f.name for f in schema if f.type == pa.binary()}
    columns: Dict[str, List[object]] = {name: [] for name in schema.names}
    rows = 0
    with pq.ParquetWriter(target, schema) as writer:
        def flush() -> None:
            writer.write_table(pa.table(columns, schema=schema))
            for values in columns.values():
                values.clear()

        for source in sources:
            with open(source, encoding="utf-8") as lines:
                for line in lines:
                    row = json.loads(line)
                    for name in schema.names:
                        value = row[name]
                        columns[name].append(base64.b64decode(value) if name in binary else value)
                    rows += 1
                    if rows % ROWS_PER_GROUP == 0:
                        flush()
        if rows % ROWS_PER_GROUP != 0 or rows == 0:
            flush()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", metavar="DIR", nargs="+", help="a folder given to --export")
    parser.add_argument("target", metavar="OUT", help="the folder for the Parquet files")
    args = parser.parse_args()
    os.makedirs(args.target, exist_ok=True)
    for name, schema in TABLES.items():
        sources = [os.path.join(folder, f"{name}.jsonl") for folder in args.sources]
        for source in sources:
            if not os.path.exists(source):
                parser.error(f"{source} is missing: is its folder one made by --export?")
        rows = convert(sources, os.path.join(args.target, f"{name}.parquet"), schema)
        print(f"{name}: {rows} rows")


if __name__ == "__main__":
    main()
