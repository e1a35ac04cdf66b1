"""``talentbridge programs solve`` and ``form-teams`` through the real entry point."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from talentbridge.cli import build_app, main

INSTANCE = {
    "applicants": [
        {"id": "a1", "preferences": ["p2", "p1"], "employer": "org7"},
        {"id": "a2", "preferences": ["p1"]},
        {"id": "a3", "preferences": ["p1", "p2"]},
    ],
    "programs": [
        {
            "id": "p1",
            "capacity": 1,
            "preferences": ["a3", "a1", "a2"],
            "region": "capital",
            "scores": {"a1": 71.5},
        },
        {"id": "p2", "capacity": 1, "preferences": [["a1", "a3"]], "region": "south"},
    ],
    "regions": [{"id": "capital", "cap": 40}, {"id": "south", "cap": None}],
    "seed": 42,
}


@pytest.mark.parametrize("mechanism", ["da", "flexible-da", "max-welfare"])
def test_solve_writes_the_result_and_prints_a_summary(tmp_path, mechanism):
    src, out = tmp_path / "instance.json", tmp_path / "result.json"
    src.write_text(json.dumps(INSTANCE))
    result = CliRunner().invoke(
        build_app(),
        ["programs", "solve", "--input", str(src), "--mechanism", mechanism, "--output", str(out)],
    )
    assert result.exit_code == 0, result.output
    written = json.loads(out.read_text())
    assert written["mechanism"] == mechanism
    assert set(written["assignments"]) == {"a1", "a2", "a3"}
    assert "blocking pairs" in result.output and "rank distribution" in result.output


def test_solve_programs_proposing_to_stdout(tmp_path, capsys):
    src = tmp_path / "instance.json"
    src.write_text(json.dumps(INSTANCE))
    main(["programs", "solve", "-i", str(src), "--proposing", "programs"])
    written = json.loads(capsys.readouterr().out)
    assert written["proposing"] == "programs"
    assert written["diagnostics"]["blocking_pairs"] == 0


def test_malformed_instance_lists_every_problem_and_exits_non_zero(tmp_path, capsys):
    src = tmp_path / "bad.json"
    src.write_text(
        json.dumps(
            {
                "applicants": [{"id": "a", "preferences": ["zz"]}, {"id": "a", "preferences": []}],
                "programs": [{"id": "p", "capacity": -1, "preferences": ["q"]}],
            }
        )
    )
    with pytest.raises(SystemExit) as info:
        main(["programs", "solve", "--input", str(src), "--output", str(tmp_path / "out.json")])
    assert info.value.code == 1
    err = capsys.readouterr().err
    assert "4 problems" in err
    for where in (
        "applicants.1.id",
        "applicants.0.preferences.0",
        "programs.0.capacity",
        "programs.0.preferences.0",
    ):
        assert where in err
    assert not (tmp_path / "out.json").exists()


def test_invalid_json_and_missing_file(tmp_path, capsys):
    src = tmp_path / "broken.json"
    src.write_text('{"applicants": [')
    with pytest.raises(SystemExit) as info:
        main(["programs", "solve", "--input", str(src)])
    assert info.value.code == 1
    assert "not valid JSON" in capsys.readouterr().err
    with pytest.raises(SystemExit) as info:
        main(["programs", "solve", "--input", str(tmp_path / "missing.json")])
    assert info.value.code == 1
    assert "cannot read" in capsys.readouterr().err


def test_unknown_mechanism_is_one_red_line(tmp_path, capsys):
    src = tmp_path / "instance.json"
    src.write_text(json.dumps(INSTANCE))
    with pytest.raises(SystemExit) as info:
        main(["programs", "solve", "--input", str(src), "--mechanism", "lottery"])
    assert info.value.code == 1
    assert "mechanism" in capsys.readouterr().err
