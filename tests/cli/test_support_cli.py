"""``talentbridge support rules|screen|docs`` through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from talentbridge.cli import main


def _ok(argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", "250")
    main(argv)
    return capsys.readouterr().out


def test_rules_lists_every_version_with_its_dates(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    listing = json.loads(_ok(["support", "rules", "--json"], capsys, monkeypatch))
    assert {(r["id"], r["version"]) for r in listing} >= {("visa-e7-1", "2025"), ("visa-e7-1", "2026")}
    table = _ok(["support", "rules"], capsys, monkeypatch)
    assert "stock-option-exemption" in table and "2027-12-31" in table


def test_screen_plain_facts_to_a_json_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text(
        json.dumps({"person": {"age": 29}, "organization": {"is_sme": True, "capital_region": False, "employees": 12}}),
        encoding="utf-8",
    )
    out = tmp_path / "result.json"
    table = _ok(
        [
            "support",
            "screen",
            "--facts",
            str(facts),
            "--as-of",
            "2026-03-01",
            "--kind",
            "subsidy",
            "--output",
            str(out),
        ],
        capsys,
        monkeypatch,
    )
    assert "청년일자리도약장려금" in table and "7,200,000" in table
    result = json.loads(out.read_text(encoding="utf-8"))
    assert {r["kind"] for r in result["results"]} == {"subsidy"}


def test_bad_input_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text('{"person.age": "old"}', encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        main(["support", "screen", "--facts", str(facts)])
    assert info.value.code == 1
    assert "person.age" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["support", "screen", "--as-of", "yesterday"])
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_docs_check(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    page = tmp_path / "support.md"
    _ok(["support", "docs", "--output", str(page)], capsys, monkeypatch)
    assert "# Support schemes" in page.read_text(encoding="utf-8")
    assert "up to date" in _ok(["support", "docs", "--output", str(page), "--check"], capsys, monkeypatch)
    page.write_text("stale", encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["support", "docs", "--output", str(page), "--check"])
