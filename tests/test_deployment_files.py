"""The deployment files say only what the product does: every setting they pass exists, every command they run
exists, every extra they install is declared. (No image is built here: CI has no container registry.)"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

from talentbridge.cli import main
from talentbridge.config import Settings

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
ENV_EXAMPLE = (ROOT / "deploy" / "env.example").read_text(encoding="utf-8")
#: Variables for the proxy and compose itself, not TalentBridge settings.
NOT_SETTINGS = {"TALENTBRIDGE_DOMAIN"}


def _setting_names() -> set[str]:
    return {f"TALENTBRIDGE_{name.upper()}" for name in Settings.model_fields}


def _compose_variables() -> set[str]:
    names: set[str] = set()
    for service in COMPOSE["services"].values():
        env = service.get("environment") or {}
        names.update(env if isinstance(env, dict) else (item.split("=", 1)[0] for item in env))
    return {n for n in names if n.startswith("TALENTBRIDGE_")}


def test_every_variable_passed_to_the_app_is_a_setting() -> None:
    example = set(re.findall(r"^(TALENTBRIDGE_[A-Z_]+)=", ENV_EXAMPLE, flags=re.M))
    unknown = (_compose_variables() | example) - _setting_names() - NOT_SETTINGS
    assert not unknown, f"not TalentBridge settings (typo, or a setting that was renamed): {sorted(unknown)}"


def _commands() -> list[list[str]]:
    found = []
    for service in COMPOSE["services"].values():
        command = service.get("command")
        if isinstance(command, list) and command[0] == "talentbridge":
            words = []
            for part in command[1:]:
                if part.startswith("-"):
                    break
                words.append(part)
            found.append(words)
    cmd = re.search(r'^CMD \[(.*)\]$', DOCKERFILE, flags=re.M)
    assert cmd is not None
    parts = [p.strip().strip('"') for p in cmd.group(1).split(",")]
    assert parts[0] == "talentbridge"
    found.append(parts[1:2])
    return found


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c))
def test_every_command_the_deployment_runs_exists(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    try:
        main([*command, "--help"])  # an unknown command is a usage error: exit 2
    except SystemExit as exc:
        assert exc.code in (0, None), capsys.readouterr()
    assert "Usage" in capsys.readouterr().out


def test_the_image_installs_declared_extras_only() -> None:
    extras = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"])
    wanted = re.search(r'pip install --no-cache-dir "\.\[([^\]]*)\]"', DOCKERFILE)
    assert wanted is not None
    assert set(wanted.group(1).split(",")) <= extras


def test_the_stack_has_its_parts_and_the_web_waits_for_the_migration() -> None:
    services = COMPOSE["services"]
    assert {"proxy", "web", "worker", "migrate", "db", "redis"} <= set(services)
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["worker"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "healthcheck" in services["db"] and "healthcheck" in services["redis"]
    # Secrets come from .env, which git never holds.
    assert ".env" in (ROOT / ".gitignore").read_text().split()
    assert "TALENTBRIDGE_SECRET_KEY=\n" in ENV_EXAMPLE


def test_the_deployment_page_documents_the_files() -> None:
    page = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    for name in ("compose.yaml", "deploy/env.example", "Dockerfile", "talentbridge backup", "--workers"):
        assert name in page
