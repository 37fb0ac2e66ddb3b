"""Acceptance: build the wheel, install it into a fresh venv, run the examples and the tests.

Usage: wheel_acceptance.py BUILD_DIR

1. ``pip wheel bindings/python`` with scikit-build-core (the running python's, without build
   isolation when it has scikit-build-core, as the tools venv of scripts/test does; else pip's
   isolated build fetches it from the index), its CMake build kept in
   BUILD_DIR/python-wheel/{wheel_tag} so a rerun only rebuilds what changed;
2. a fresh virtual environment in a temporary folder, ``pip install`` of that wheel alone;
3. with REGIMEN_LIBRARY, PYTHONPATH and LD_LIBRARY_PATH unset and from a folder outside the
   source tree: ``examples/python/run_session.py``, the README's marked example, and a check that
   the library in use is the package's own copy;
4. pytest and hypothesis (bindings/python/requirements-test.txt) into that venv, and the
   binding's tests against the installed package (REGIMEN_TEST_INSTALLED=1).

Exits non-zero on any failure.
"""

import glob
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
from typing import Any, Dict, List

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.dirname(HERE)  # bindings/python
REPO = os.path.dirname(os.path.dirname(PACKAGE))
MARKER = "<!-- acceptance-example"


def readme_example() -> str:
    with open(os.path.join(PACKAGE, "README.md"), encoding="utf-8") as f:
        text = f.read()
    after = text.split(MARKER, 1)
    if len(after) != 2:
        raise SystemExit(f"README.md has no {MARKER} block")
    match = re.search(r"```python\n(.*?)```", after[1], re.S)
    if not match:
        raise SystemExit("no ```python block after the marker in README.md")
    return match.group(1)


def run(cmd: List[str], **kwargs: Any) -> "subprocess.CompletedProcess[str]":
    print("+", " ".join(cmd), flush=True)
    result = subprocess.run(cmd, text=True, capture_output=True, **kwargs)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    if result.returncode != 0:
        raise SystemExit(f"exit {result.returncode}: {' '.join(cmd)}")
    return result


def build_wheel(build_dir: str, out: str) -> str:
    cmd = [sys.executable, "-m", "pip", "wheel", PACKAGE, "-w", out, "--no-deps",
           "-C", f"build-dir={build_dir}/python-wheel/{{wheel_tag}}"]
    if importlib.util.find_spec("scikit_build_core") is not None:
        cmd.append("--no-build-isolation")
    env = dict(os.environ)
    if shutil.which("ccache"):
        # Read by CMake on the first configure only (as defaults, not -D), so a later plain
        # `pip wheel bindings/python` into the same build dir finds an unchanged cache.
        env.setdefault("CMAKE_C_COMPILER_LAUNCHER", "ccache")
        env.setdefault("CMAKE_CXX_COMPILER_LAUNCHER", "ccache")
        env.setdefault("CCACHE_BASEDIR", REPO)
    run(cmd, env=env)
    wheels = glob.glob(os.path.join(out, "regimen-*.whl"))
    if len(wheels) != 1:
        raise SystemExit(f"expected one wheel in {out}, found {wheels}")
    return wheels[0]


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(f"usage: {sys.argv[0]} BUILD_DIR")
    build_dir = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix="regimen-wheel-") as tmp:
        wheel = build_wheel(build_dir, os.path.join(tmp, "dist"))
        if not re.search(r"-py3-none-linux_\w+\.whl$", wheel):
            raise SystemExit(f"{wheel} is not tagged py3-none-<platform>")

        venv = os.path.join(tmp, "venv")
        run([sys.executable, "-m", "venv", venv])
        python = os.path.join(venv, "bin", "python")
        clean: Dict[str, str] = {k: v for k, v in os.environ.items()
                                 if k not in ("REGIMEN_LIBRARY", "PYTHONPATH", "LD_LIBRARY_PATH")}
        run([python, "-m", "pip", "install", "--no-cache-dir", wheel], env=clean, cwd=tmp)

        out = run([python, os.path.join(REPO, "examples", "python", "run_session.py")],
                  env=clean, cwd=tmp).stdout
        if "session completed" not in out:
            raise SystemExit("run_session.py did not complete the session")
        script = os.path.join(tmp, "example.py")
        with open(script, "w", encoding="utf-8") as f:
            f.write(readme_example())
        out = run([python, script], env=clean, cwd=tmp).stdout
        for expected in ("restored session finished identically", "generated:",
                         "rejected: INVALID_ARGUMENT"):
            if expected not in out:
                raise SystemExit(f"the README example's output lacks {expected!r}")
        where = run([python, "-c", "import regimen; print(regimen.library_path())"],
                    env=clean, cwd=tmp).stdout.strip()
        if not where.startswith(os.path.join(venv, "lib")):
            raise SystemExit(f"the example used {where}, not the venv's bundled copy")

        run([python, "-m", "pip", "install", "-q", "-r",
             os.path.join(PACKAGE, "requirements-test.txt")], env=clean, cwd=tmp)
        test_env = dict(clean, REGIMEN_TEST_INSTALLED="1", REGIMEN_SOURCE_DIR=REPO,
                        PYTHONDONTWRITEBYTECODE="1")
        run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", tmp, HERE],
            env=test_env, cwd=tmp)
    print("wheel acceptance: OK")


if __name__ == "__main__":
    main()
