"""mypy over the pure cores (strict) and the services (checked), with the configuration in pyproject.toml.

Named ``test_architecture_*`` so that it runs with the layering contracts before every landing. Narrowed modules
and the reasons are listed under ``[[tool.mypy.overrides]]``; a new error anywhere else fails here.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ["domain", "skills", "matching", "programs", "upskilling", "support", "services"]


def test_mypy_finds_nothing_in_the_cores_and_services() -> None:
    try:
        from mypy import api
    except ImportError as exc:  # an older .venv: the dev extra gained mypy
        raise AssertionError("mypy is not installed: run `python3 dev.py test --co -q` to update .venv") from exc

    args = ["--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(ROOT / ".mypy_cache")]
    for package in PACKAGES:
        args += ["-p", f"talentbridge.{package}"]
    cwd = Path.cwd()
    os.chdir(ROOT)  # mypy_path = "src" is relative to the project
    try:
        out, err, status = api.run(args)
    finally:
        os.chdir(cwd)
    assert status == 0, (out + err)[-6000:]


def test_the_cores_are_strict() -> None:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    (cores,) = [o for o in config["overrides"] if "talentbridge.domain.*" in o["module"]]
    assert {f"talentbridge.{p}.*" for p in PACKAGES if p != "services"} <= set(cores["module"])
    for flag in ("disallow_untyped_defs", "disallow_incomplete_defs", "disallow_any_generics", "warn_return_any"):
        assert cores[flag] is True, flag
    narrowed = [o for o in config["overrides"] if "disable_error_code" in o]
    assert all("talentbridge.services.recommend" not in o["module"] for o in narrowed)  # the split stays clean
