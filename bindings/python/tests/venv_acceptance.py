"""Acceptance: a fresh venv, `pip install bindings/python`, then the README's example.

Usage: venv_acceptance.py LIBREGIMEN_SO

Creates a virtual environment in a temporary folder, runs `pip install bindings/python` in it
with REGIMEN_LIBRARY pointing at the built library for the build step only (so the wheel carries
a copy), then runs the README's marked example with the venv's python, with REGIMEN_LIBRARY
unset and from a folder outside the source tree, so that the installed package and its bundled
library are what runs. Exits non-zero on any failure.
"""

import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.dirname(HERE)  # bindings/python
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


def run(cmd, **kwargs) -> subprocess.CompletedProcess:
    print("+", " ".join(cmd), flush=True)
    result = subprocess.run(cmd, text=True, capture_output=True, **kwargs)
    sys.stdout.write(result.stdout)
    sys.stderr.write(result.stderr)
    if result.returncode != 0:
        raise SystemExit(f"exit {result.returncode}: {' '.join(cmd)}")
    return result


def main() -> None:
    if len(sys.argv) != 2 or not os.path.isfile(sys.argv[1]):
        raise SystemExit(f"usage: {sys.argv[0]} path/to/libregimen.so")
    library = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix="regimen-venv-") as tmp:
        venv = os.path.join(tmp, "venv")
        run([sys.executable, "-m", "venv", venv])
        python = os.path.join(venv, "bin", "python")
        build_env = dict(os.environ, REGIMEN_LIBRARY=library)
        run([python, "-m", "pip", "install", "--no-cache-dir", PACKAGE], env=build_env)

        script = os.path.join(tmp, "example.py")
        with open(script, "w", encoding="utf-8") as f:
            f.write(readme_example())
        run_env = {k: v for k, v in os.environ.items()
                   if k not in ("REGIMEN_LIBRARY", "PYTHONPATH", "LD_LIBRARY_PATH")}
        out = run([python, script], env=run_env, cwd=tmp).stdout
        where = run([python, "-c", "import regimen; print(regimen.library_path())"],
                    env=run_env, cwd=tmp).stdout.strip()
        # The installed package's own copy of the library must be the one in use.
        if not where.startswith(venv):
            raise SystemExit(f"the example used {where}, not the venv's bundled copy")
        for expected in ("restored session finished identically", "generated:",
                         "rejected: INVALID_ARGUMENT"):
            if expected not in out:
                raise SystemExit(f"the example's output lacks {expected!r}")
    print("venv acceptance: OK")


if __name__ == "__main__":
    main()
