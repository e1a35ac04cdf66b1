"""The layering rules hold: the core never imports web, SQL or CLI code; importing the package does no work."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_linter_contracts_hold() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint), str(ROOT / "pyproject.toml")], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "KEPT" in result.stdout


def test_importing_the_package_and_cores_does_no_heavy_work() -> None:
    code = (
        "import sys, talentbridge, talentbridge.domain, talentbridge.config, talentbridge.storage;"
        "heavy = [m for m in ('kiwipiepy', 'ortools', 'usearch', 'torch', 'uvicorn') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_ruff_finds_nothing() -> None:
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run([str(ruff), "check", "src", "tests", "benchmarks", "scripts"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:]


def test_layering_contracts_cover_adapters_services_and_storage_with_few_exceptions() -> None:
    import tomllib

    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    layers = [c for c in contracts if c["type"] == "layers"]
    assert any(
        c["layers"][-2:] == ["talentbridge.services", "talentbridge.storage"] and "talentbridge.web" in c["layers"][0]
        and "talentbridge.cli" in c["layers"][0]
        for c in layers
    )
    (adapters,) = [c for c in contracts if c["type"] == "forbidden" and "talentbridge.web" in c["source_modules"]]
    assert "talentbridge.storage" in adapters["forbidden_modules"]
    # wiring only: the app factory builds the Database; the CLI opens it through a service; nothing else is excused
    assert sorted(adapters.get("ignore_imports", [])) == [
        "talentbridge.web.app -> talentbridge.storage",
    ]


def test_the_names_of_before_the_service_split_still_import() -> None:
    """Branches written against ``services.recommend`` keep working for one release (a facade over the split)."""
    from talentbridge.services import recommend
    from talentbridge.services.recommendations import OpeningFilters, TalentFilters
    from talentbridge.services.talent_index import on_talent_changed, reset_indexes

    for name in recommend.__all__:
        assert hasattr(recommend, name), name
    assert recommend.on_talent_changed is on_talent_changed and recommend.reset_indexes is reset_indexes
    assert recommend.TalentFilters is TalentFilters and recommend.OpeningFilters is OpeningFilters
    methods = {"index", "rebuild_index", "talents_for_opening", "openings_for_talent", "batch", "audit",
               "program_settings", "context", "weights", "graph", "text", "sync_interval"}
    assert methods <= set(dir(recommend.RecommendService))
