"""ctest spark_weekly_progression: examples/spark/weekly_progression.py on Spark in local[2]
mode decides, for 1,000 synthetic users, byte for byte what a plain Python loop over the same
inputs decides with the same wheel, and what the C++ simulation itself decided.

usage: weekly_progression_test.py BUILD_DIR REGIMEN_BINARY TOOLS_PYTHON

Run by the Spark venv's python (.venv-spark: examples/spark/requirements.txt). Steps:
1. the wheel, built by TOOLS_PYTHON (scikit-build-core, no isolation) in
   BUILD_DIR/python-wheel/{wheel_tag} as ctest python_wheel builds it (incremental), installed
   into this venv;
2. `regimen simulate-population --export`: users 0..499 after 2 weeks (their last decision is
   when gated exercises unlock) and users 500..999 after 8 weeks (pain episodes: regressions
   and safety stops), seed 7; jsonl_to_parquet.py makes one Parquet input of both;
3. the Spark job, master local[2], 4 shuffle partitions, offline (127.0.0.1, no UI);
4. the single-process loop: every user's ProgressRequest built here from the Parquet rows,
   regimen.progress on it, in binary (compared with Spark's decision and next routine bytes and
   the simulation's decision) and in JSON (its UNLOCK and REGRESS changes counted, compared with
   Spark's counts);
5. the job's printed totals equal the loop's, and are not trivial.
"""

from __future__ import annotations

import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from typing import Any, Dict, List

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SPARK_EXAMPLE = os.path.join(REPO, "examples", "spark")
USERS = 1000


def run(cmd: List[str], **kwargs: Any) -> str:
    print("+", " ".join(cmd), flush=True)
    result = subprocess.run(cmd, text=True, capture_output=True, **kwargs)
    sys.stdout.write(result.stdout)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise SystemExit(f"exit {result.returncode}: {' '.join(cmd)}")
    return result.stdout


def install_wheel(build_dir: str, tools_python: str) -> None:
    out = os.path.join(build_dir, "spark", "dist")
    for old in glob.glob(os.path.join(out, "regimen-*.whl")):
        os.remove(old)
    env = dict(os.environ)
    if shutil.which("ccache"):  # as wheel_acceptance.py: first configure only
        env.setdefault("CMAKE_C_COMPILER_LAUNCHER", "ccache")
        env.setdefault("CMAKE_CXX_COMPILER_LAUNCHER", "ccache")
        env.setdefault("CCACHE_BASEDIR", REPO)
    run([tools_python, "-m", "pip", "wheel", os.path.join(REPO, "bindings", "python"),
         "-w", out, "--no-deps", "--no-build-isolation", "--disable-pip-version-check",
         "-C", f"build-dir={build_dir}/python-wheel/{{wheel_tag}}"], env=env)
    wheels = glob.glob(os.path.join(out, "regimen-*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"expected one wheel in {out}, found {wheels}")
    run([sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check",
         "--force-reinstall", "--no-deps", wheels[0]])


def java_home() -> str:
    # Debian's OpenJDK 17 (scripts/setup installs openjdk-17-jre-headless): Spark 3.5 runs on
    # Java 8, 11 or 17, and Debian 12's default JDK is 17.
    homes = sorted(glob.glob("/usr/lib/jvm/java-17-openjdk-*"))
    if not homes:
        raise SystemExit("no /usr/lib/jvm/java-17-openjdk-*: run scripts/setup")
    return homes[0]


def spark_env() -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("REGIMEN_LIBRARY", "PYTHONPATH", "LD_LIBRARY_PATH", "SPARK_HOME")}
    env.update(JAVA_HOME=java_home(), SPARK_LOCAL_IP="127.0.0.1",
               PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    return env


def single_process(inputs: str) -> Dict[int, Dict[str, Any]]:
    """Every user's decision by a plain loop: no Spark, the same wheel."""
    import pyarrow.parquet as pq

    import regimen

    sys.path.insert(0, SPARK_EXAMPLE)
    from weekly_progression import read_decision

    def field(number: int, payload: bytes) -> bytes:
        out, size = bytearray([number << 3 | 2]), len(payload)
        while size >= 0x80:
            out.append(size & 0x7F | 0x80)
            size >>= 7
        out.append(size)
        return bytes(out) + payload

    profiles = pq.read_table(os.path.join(inputs, "profiles.parquet")).to_pylist()
    records: Dict[int, List[Dict[str, Any]]] = {}
    for row in pq.read_table(os.path.join(inputs, "records.parquet")).to_pylist():
        records.setdefault(row["user_id"], []).append(row)
    catalog = regimen.Catalog.default()
    out: Dict[int, Dict[str, Any]] = {}
    for user in profiles:
        mine = sorted(records.get(user["user_id"], []), key=lambda r: r["seq"])
        request = (field(1, user["routine"]) + field(2, user["profile"])
                   + b"".join(field(3, r["record"]) for r in mine))
        decision = regimen.progress(catalog, request)
        next_routine, unlocks, regressions = read_decision(decision)
        out[user["user_id"]] = {
            "decision": decision,
            "next_routine": next_routine,
            "unlocks": unlocks,
            "regressions": regressions,
            "safety_stops": sum(r["safety_stops"] for r in mine),
        }
    return out


def main() -> None:
    if len(sys.argv) != 4:
        raise SystemExit(f"usage: {sys.argv[0]} BUILD_DIR REGIMEN_BINARY TOOLS_PYTHON")
    build_dir, binary, tools_python = (os.path.abspath(a) for a in sys.argv[1:])
    install_wheel(build_dir, tools_python)
    with tempfile.TemporaryDirectory(prefix="regimen-spark-") as tmp:
        half = USERS // 2
        early, late = os.path.join(tmp, "jsonl-early"), os.path.join(tmp, "jsonl-late")
        summary = run([binary, "simulate-population", "--users", str(half), "--weeks", "2",
                       "--seed", "7", "--threads", "2", "--export", early])
        share = re.search(r"^unlocked prone_rock: ([\d.]+)% of users$", summary, re.M)
        early_share = float(share.group(1)) if share else 0.0
        run([binary, "simulate-population", "--users", str(USERS - half), "--first-user",
             str(half), "--weeks", "8", "--seed", "7", "--threads", "2", "--export", late])
        inputs, output = os.path.join(tmp, "parquet"), os.path.join(tmp, "decided")
        run([sys.executable, os.path.join(SPARK_EXAMPLE, "jsonl_to_parquet.py"), early, late,
             inputs])
        job = run([sys.executable, os.path.join(SPARK_EXAMPLE, "weekly_progression.py"), inputs,
                   output, "--master", "local[2]", "--partitions", "4",
                   "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1"],
                  env=spark_env(), cwd=tmp)
        totals = {m.group(1): int(m.group(2))
                  for m in re.finditer(r"^(users|unlocks|regressions|safety stops): +(\d+)$",
                                       job, re.M)}

        import pyarrow.parquet as pq

        spark_rows = {row["user_id"]: row for row in pq.read_table(output).to_pylist()}
        expected = single_process(inputs)
        simulated = {row["user_id"]: row["decision"] for row in
                     pq.read_table(os.path.join(inputs, "decisions.parquet")).to_pylist()}
        if sorted(spark_rows) != list(range(USERS)) or sorted(expected) != list(range(USERS)):
            raise SystemExit(f"expected users 0..{USERS - 1}, Spark wrote {len(spark_rows)}")
        counted = {"users": USERS, "unlocks": 0, "regressions": 0, "safety stops": 0}
        for user, want in expected.items():
            got = spark_rows[user]
            for column in ("decision", "next_routine", "unlocks", "regressions", "safety_stops"):
                if got[column] != want[column]:
                    raise SystemExit(f"user {user}: Spark's {column} differs from the loop's")
            if want["decision"] != simulated[user]:
                raise SystemExit(f"user {user}: the decision differs from the simulation's")
            counted["unlocks"] += want["unlocks"]
            counted["regressions"] += want["regressions"]
            counted["safety stops"] += want["safety_stops"]
        # Unlocks happen at the second decision: the early users' unlocks are the users the
        # simulation's summary says unlocked prone_rock (a check on the UNLOCK number).
        early_unlocks = sum(expected[u]["unlocks"] for u in range(half))
        if round(early_share * half / 100) != early_unlocks:
            raise SystemExit(f"{early_unlocks} unlocks among users 0..{half - 1}, the simulation "
                             f"says {early_share}% of them unlocked prone_rock")
        if totals != counted:
            raise SystemExit(f"the job printed {totals}, the loop counted {counted}")
        if min(counted.values()) == 0:
            raise SystemExit(f"trivial run: {counted}")
        print(f"spark weekly progression: {USERS} users byte for byte; {counted}")


if __name__ == "__main__":
    main()
