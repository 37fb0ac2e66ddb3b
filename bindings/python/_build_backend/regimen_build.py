"""An in-tree PEP 517 build backend for the regimen package, using the standard library only.

Why: pip builds a package in an isolated environment and first installs the backend named in
``[build-system] requires``. With ``setuptools.build_meta`` that means downloading setuptools,
which fails on machines without a package index (pip retries the index, then stops with "No
matching distribution found for setuptools"). This backend needs nothing (``requires = []``), so
``pip install bindings/python`` works offline in a fresh virtual environment.

It builds a wheel with zipfile: the ``regimen`` package, plus a copy of libregimen.so when one is
found at build time (``REGIMEN_LIBRARY``, else the repository's ``build/lib/libregimen.so*``), in
which case the wheel is tagged for this platform. It also builds sdists and editable wheels.
"""

from __future__ import annotations

import base64
import glob
import hashlib
import io
import os
import re
import sysconfig
import tarfile
import zipfile
from typing import Dict, List, Optional, Tuple

_HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # bindings/python
_REPO = os.path.dirname(os.path.dirname(_HERE))
_PACKAGE = "regimen"


def _project() -> Dict[str, str]:
    """name, version, description and requires-python from pyproject.toml's [project]."""
    with open(os.path.join(_HERE, "pyproject.toml"), "rb") as f:
        text = f.read().decode("utf-8")
    try:
        import tomllib  # Python 3.11+

        project = tomllib.loads(text)["project"]
        return {k: str(project.get(k, "")) for k in ("name", "version", "description",
                                                     "requires-python")}
    except ImportError:
        section = text.split("[project]", 1)[1].split("\n[", 1)[0]
        found = dict(re.findall(r'^([\w-]+)\s*=\s*"([^"]*)"', section, re.M))
        return {k: found.get(k, "") for k in ("name", "version", "description",
                                              "requires-python")}


def _library() -> Optional[str]:
    """The libregimen.so to bundle, or None."""
    env = os.environ.get("REGIMEN_LIBRARY")
    if env:
        if not os.path.isfile(env):
            raise RuntimeError(f"REGIMEN_LIBRARY={env!r} is not a file")
        return os.path.realpath(env)
    candidates = sorted(glob.glob(os.path.join(_REPO, "build", "lib", "libregimen.so*")))
    return os.path.realpath(candidates[0]) if candidates else None


def _dist_info(project: Dict[str, str]) -> str:
    return f"{project['name']}-{project['version']}.dist-info"


def _metadata(project: Dict[str, str]) -> bytes:
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {project['name']}",
        f"Version: {project['version']}",
        f"Summary: {project['description']}",
    ]
    if project["requires-python"]:
        lines.append(f"Requires-Python: {project['requires-python']}")
    lines.append("Description-Content-Type: text/markdown")
    with open(os.path.join(_HERE, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    return ("\n".join(lines) + "\n\n" + readme).encode("utf-8")


def _tag(pure: bool) -> str:
    if pure:
        return "py3-none-any"
    platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
    return f"py3-none-{platform}"


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def _write_wheel(wheel_directory: str, files: List[Tuple[str, bytes]], pure: bool) -> str:
    project = _project()
    dist_info = _dist_info(project)
    tag = _tag(pure)
    wheel_meta = (
        "Wheel-Version: 1.0\n"
        "Generator: regimen_build\n"
        f"Root-Is-Purelib: {'true' if pure else 'false'}\n"
        f"Tag: {tag}\n"
    ).encode()
    files = files + [
        (f"{dist_info}/METADATA", _metadata(project)),
        (f"{dist_info}/WHEEL", wheel_meta),
        (f"{dist_info}/top_level.txt", f"{_PACKAGE}\n".encode()),
    ]
    name = f"{project['name']}-{project['version']}-{tag}.whl"
    record = [_record_line(n, d) for n, d in files] + [f"{dist_info}/RECORD,,"]
    os.makedirs(wheel_directory, exist_ok=True)
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in files:
            info = zipfile.ZipInfo(n, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = (0o755 if n.endswith((".so", ".so.0")) or ".so." in n
                                  else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, d)
        z.writestr(f"{dist_info}/RECORD", "\n".join(record) + "\n")
    return name


def _package_files() -> List[Tuple[str, bytes]]:
    files = []
    src = os.path.join(_HERE, _PACKAGE)
    for name in sorted(os.listdir(src)):
        if name.endswith(".py") or name == "py.typed":
            with open(os.path.join(src, name), "rb") as f:
                files.append((f"{_PACKAGE}/{name}", f.read()))
    return files


# --- PEP 517 hooks -------------------------------------------------------------------------


def get_requires_for_build_wheel(config_settings=None) -> List[str]:
    return []


def get_requires_for_build_sdist(config_settings=None) -> List[str]:
    return []


def get_requires_for_build_editable(config_settings=None) -> List[str]:
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None) -> str:
    files = _package_files()
    library = _library()
    if library:
        with open(library, "rb") as f:
            # The loader looks for regimen/libregimen.so* next to _native.py.
            files.append((f"{_PACKAGE}/libregimen.so.0", f.read()))
    return _write_wheel(wheel_directory, files, pure=library is None)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None) -> str:
    # A .pth file puts the source folder on sys.path (PEP 660's simplest form).
    return _write_wheel(wheel_directory, [("regimen_editable.pth", (_HERE + "\n").encode())],
                        pure=True)


def build_sdist(sdist_directory, config_settings=None) -> str:
    project = _project()
    base = f"{project['name']}-{project['version']}"
    os.makedirs(sdist_directory, exist_ok=True)
    path = os.path.join(sdist_directory, base + ".tar.gz")
    with tarfile.open(path, "w:gz") as tar:
        for rel in ["pyproject.toml", "README.md", "_build_backend/regimen_build.py"] + [
            n for n, _ in _package_files()
        ]:
            tar.add(os.path.join(_HERE, rel), arcname=f"{base}/{rel}")
        pkg_info = io.BytesIO(_metadata(project))
        info = tarfile.TarInfo(f"{base}/PKG-INFO")
        info.size = len(pkg_info.getvalue())
        tar.addfile(info, pkg_info)
    return os.path.basename(path)
