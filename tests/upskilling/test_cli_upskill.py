"""``talentbridge upskill plan`` through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from talentbridge.cli import main

INSTANCE = {
    "courses": [
        {"id": "intro", "hours": 20, "provides": [{"skill": "python", "level": 2}]},
        {"id": "deep", "hours": 60, "requires": [{"skill": "python", "level": 2}], "provides": [{"skill": "pytorch"}]},
    ],
    "target": [{"skill": "pytorch"}],
    "objective": "hours",
}


def test_plan_to_a_file_and_to_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, out = tmp_path / "i.json", tmp_path / "r.json"
    src.write_text(json.dumps(INSTANCE), encoding="utf-8")
    main(["upskill", "plan", "--input", str(src), "--output", str(out)])
    assert "optimal: 2 courses, 80 hours" in capsys.readouterr().out
    assert [s["course"] for s in json.loads(out.read_text(encoding="utf-8"))["path"]] == ["intro", "deep"]
    main(["upskill", "plan", "--input", str(src), "--greedy"])
    assert json.loads(capsys.readouterr().out)["status"] == "feasible"


def test_a_malformed_instance_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "i.json"
    src.write_text(json.dumps({"courses": [{"id": "a", "hours": "many"}], "objective": "speed"}), encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        main(["upskill", "plan", "--input", str(src)])
    assert info.value.code == 1
    err = " ".join(capsys.readouterr().err.split())
    assert "courses.0.hours" in err and "objective" in err
