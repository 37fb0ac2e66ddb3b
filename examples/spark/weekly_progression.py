#!/usr/bin/env python3
"""Weekly progression on Apache Spark: every user's next routine, decided by Regimen.

usage: weekly_progression.py INPUT OUTPUT [--master URL] [--partitions N] [--conf KEY=VALUE]

INPUT holds profiles.parquet (user_id, profile, routine) and records.parquet (user_id, seq,
record, safety_stops), protobuf messages in binary columns, as made by
``regimen simulate-population --export DIR`` and ``jsonl_to_parquet.py DIR INPUT``. The job
groups both by user (``cogroup(...).applyInPandas``), builds each user's ProgressRequest from
their routine, profile and records (oldest first), runs the Python binding's ``progress`` on it
and writes OUTPUT (Parquet): user_id, decision (ProgressDecision bytes), next_routine (Routine
bytes), unlocks and regressions (the decision's UNLOCK and REGRESS changes), safety_stops (in
the user's records). It prints the totals at the end.

Every Python worker loads the ``regimen`` wheel and its built-in catalog once (lazily, on its
first user). See docs/spark.md for running it locally and submitting it to a cluster.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Iterator, List, Optional, Tuple

import pandas as pd

import regimen

# The job's output, one row per user.
OUTPUT_SCHEMA = (
    "user_id long, decision binary, next_routine binary, "
    "unlocks int, regressions int, safety_stops int"
)
OUTPUT_COLUMNS = [column.split()[0] for column in OUTPUT_SCHEMA.split(", ")]

# regimen.v1 field numbers and enum values (proto/regimen/v1/progression.proto) the job reads or
# writes directly in the protobuf wire format, so it needs no generated Python classes.
REQUEST_ROUTINE, REQUEST_PROFILE, REQUEST_RECORDS = 1, 2, 3  # ProgressRequest
DECISION_ROUTINE, DECISION_CHANGES = 1, 2  # ProgressDecision
CHANGE_ACTION = 2  # Change
REGRESS, UNLOCK = 3, 4  # ProgressAction

_catalog: Optional[regimen.Catalog] = None


def catalog() -> regimen.Catalog:
    """The built-in catalog, made on first use and kept for the life of the Python process."""
    global _catalog
    if _catalog is None:
        _catalog = regimen.Catalog.default()
    return _catalog


def _varint(value: int) -> bytes:
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    """A length-delimited field: a message's encoding is the concatenation of its fields."""
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _fields(message: bytes) -> Iterator[Tuple[int, object]]:
    """(field number, value) of each field of an encoded message: ints for varints, bytes for
    length-delimited fields (fixed-width fields, which these messages do not use at the levels
    read here, are skipped)."""
    i = 0
    while i < len(message):
        key, i = _read_varint(message, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _read_varint(message, i)
            yield number, value
        elif wire == 2:
            size, i = _read_varint(message, i)
            yield number, message[i:i + size]
            i += size
        elif wire == 1:
            i += 8
        elif wire == 5:
            i += 4
        else:
            raise ValueError(f"unsupported wire type {wire} at byte {i}")


def _read_varint(data: bytes, i: int) -> Tuple[int, int]:
    value, shift = 0, 0
    while True:
        byte = data[i]
        i += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, i
        shift += 7


def progress_request(profile: bytes, routine: bytes, records: List[bytes]) -> bytes:
    """The ProgressRequest of a user: their routine, profile and records (oldest first), encoded
    as protobuf encodes it (fields in number order)."""
    return (_field(REQUEST_ROUTINE, routine) + _field(REQUEST_PROFILE, profile)
            + b"".join(_field(REQUEST_RECORDS, record) for record in records))


def read_decision(decision: bytes) -> Tuple[bytes, int, int]:
    """The next routine's bytes, and the UNLOCK and REGRESS changes of a ProgressDecision."""
    routine, unlocks, regressions = b"", 0, 0
    for number, value in _fields(decision):
        if number == DECISION_ROUTINE and isinstance(value, bytes):
            routine = value
        elif number == DECISION_CHANGES and isinstance(value, bytes):
            for field, action in _fields(value):
                if field == CHANGE_ACTION:
                    unlocks += action == UNLOCK
                    regressions += action == REGRESS
    return routine, unlocks, regressions


def decide_user(profiles: pd.DataFrame, records: pd.DataFrame) -> pd.DataFrame:
    """One user's row of the output, from their profile row and record rows (any order)."""
    if profiles.empty:  # records of a user without a profile: nothing to decide
        return pd.DataFrame(columns=OUTPUT_COLUMNS)
    user = profiles.iloc[0]
    ordered = records.sort_values("seq")
    request = progress_request(bytes(user["profile"]), bytes(user["routine"]),
                               [bytes(r) for r in ordered["record"]])
    decision = regimen.progress(catalog(), request)
    next_routine, unlocks, regressions = read_decision(decision)
    return pd.DataFrame({
        "user_id": [int(user["user_id"])],
        "decision": [decision],
        "next_routine": [next_routine],
        "unlocks": [unlocks],
        "regressions": [regressions],
        "safety_stops": [int(ordered["safety_stops"].sum())],
    })


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", help="folder with profiles.parquet and records.parquet")
    parser.add_argument("output", help="folder for the decisions (Parquet), replaced")
    parser.add_argument("--master", help="Spark master, e.g. local[2] (default: spark-submit's)")
    parser.add_argument("--partitions", type=int, default=None,
                        help="shuffle partitions (default: Spark's, 200)")
    parser.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE",
                        help="a Spark setting, as spark-submit's --conf (repeatable)")
    args = parser.parse_args(argv)

    from pyspark.sql import SparkSession, functions as F

    started = time.monotonic()
    builder = SparkSession.builder.appName("regimen-weekly-progression")
    if args.master:
        builder = builder.master(args.master)
    if args.partitions:
        builder = builder.config("spark.sql.shuffle.partitions", str(args.partitions))
    for setting in args.conf:
        key, equals, value = setting.partition("=")
        if not equals:
            parser.error(f"--conf needs KEY=VALUE, got {setting!r}")
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    # The workers import this file as a module (not the pickled __main__), so the catalog made
    # by catalog() lives as long as the worker process, not one task.
    spark.sparkContext.addPyFile(__file__)
    import weekly_progression as job

    ready = time.monotonic()
    profiles = spark.read.parquet(f"{args.input}/profiles.parquet")
    records = spark.read.parquet(f"{args.input}/records.parquet")
    decided = (profiles.groupBy("user_id")
               .cogroup(records.groupBy("user_id"))
               .applyInPandas(job.decide_user, schema=OUTPUT_SCHEMA))
    decided.write.mode("overwrite").parquet(args.output)
    done = time.monotonic()

    totals = spark.read.parquet(args.output).agg(
        F.count("*").alias("users"), F.sum("unlocks").alias("unlocks"),
        F.sum("regressions").alias("regressions"),
        F.sum("safety_stops").alias("safety_stops")).collect()[0]
    print(f"users:          {totals['users']}")
    print(f"unlocks:        {totals['unlocks'] or 0}")
    print(f"regressions:    {totals['regressions'] or 0}")
    print(f"safety stops:   {totals['safety_stops'] or 0}")
    print(f"spark startup:  {ready - started:.2f} s")
    print(f"progress stage: {done - ready:.2f} s (read, group, decide, write)")
    spark.stop()


if __name__ == "__main__":
    main(sys.argv[1:])
