"""``talentbridge skills extract`` / ``normalize-titles`` through the real entry point (fixture taxonomy)."""

import csv
import json

import pytest

from talentbridge.cli import main


def run(argv, capsys):
    try:
        main(argv)
        code = 0
    except SystemExit as exc:
        code = exc.code or 0
    out = capsys.readouterr()
    return code, out.out, " ".join(out.err.split())  # Rich wraps long lines


def test_extract_txt_output_format(settings_env, tmp_path, capsys):
    src = tmp_path / "texts.txt"
    src.write_text("파이토치를 이용한 딥러닝기반 모델\n\nPython and SQL\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    code, _, err = run(["skills", "extract", "--input", str(src), "--top", "3", "--output", str(out),
                        "--encoder", "hashing"], capsys)
    assert code == 0, err
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["row"] for r in records] == [0, 1, 2]
    assert records[1]["skills"] == []  # empty line → empty result
    first = records[0]["skills"]
    assert 1 <= len(first) <= 3
    assert set(first[0]) == {"uri", "label", "score", "spans", "via"}
    assert "urn:talentbridge:skill:pytorch" in {s["uri"] for s in first}
    assert {s["label"] for s in records[2]["skills"]} >= {"Python (computer programming)", "SQL"}


def test_extract_with_workers_writes_the_same_output(settings_env, tmp_path, capsys):
    src = tmp_path / "texts.txt"
    src.write_text("\n".join(["파이토치를 이용한 딥러닝기반 모델", "Python and SQL", "", "용접 장비 운영"] * 5), encoding="utf-8")
    outputs = []
    for workers in ("1", "3"):
        out = tmp_path / f"out-{workers}.jsonl"
        code, _, err = run(["skills", "extract", "-i", str(src), "-o", str(out), "--encoder", "hashing",
                            "--workers", workers], capsys)
        assert code == 0, err
        outputs.append(out.read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1] and outputs[0].count("\n") == 20
    code, _, err = run(["skills", "extract", "-i", str(src), "-o", str(tmp_path / "x.jsonl"), "--workers", "0"], capsys)
    assert code == 2 and "workers" in err.lower()


def test_extract_csv_and_jsonl_columns(settings_env, tmp_path, capsys):
    src = tmp_path / "ads.csv"
    src.write_text('id,body\n1,"Need PyTorch, ""deep learning""\nand SQL"\n2,용접 장비\n', encoding="utf-8")
    out = tmp_path / "o.jsonl"
    code, _, err = run(["skills", "extract", "-i", str(src), "-c", "body", "-o", str(out), "--encoder", "none"],
                       capsys)
    assert code == 0, err
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r["row"] for r in rows] == [0, 1]
    assert {"PyTorch", "deep learning", "SQL"} <= {s["label"] for s in rows[0]["skills"]}

    src = tmp_path / "ads.jsonl"
    src.write_text('{"body": "텐서플로우 경험"}\n"plain string with torch"\n', encoding="utf-8")
    code, _, err = run(["skills", "extract", "-i", str(src), "-c", "body", "-o", str(out), "--encoder", "none"],
                       capsys)
    assert code == 0, err
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert rows[0]["skills"][0]["label"] == "TensorFlow"
    assert rows[1]["skills"][0]["label"] == "PyTorch"


@pytest.mark.parametrize("workers", ["1", "2"])
def test_normalize_titles_output_format(settings_env, tmp_path, capsys, workers):
    src = tmp_path / "titles.csv"
    src.write_text("title\nSenior Software Engineer\n용접원\n\n머신러닝 엔지니어\n", encoding="utf-8")
    out = tmp_path / "occ.csv"
    code, _, err = run(["skills", "normalize-titles", "--input", str(src), "--column", "title", "--top", "2",
                        "--output", str(out), "--encoder", "hashing", "--workers", workers], capsys)
    assert code == 0, err
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["row", "rank", "occupation_uri", "label", "score"]
    top = {r["row"]: r for r in rows if r["rank"] == "1"}
    assert top["0"]["label"] == "software developer"
    assert top["1"]["occupation_uri"] == "http://data.europa.eu/esco/occupation/welder"
    assert top["2"]["occupation_uri"] == "urn:talentbridge:occupation:ml-engineer"
    assert all(0 <= float(r["score"]) <= 1 for r in rows)
    assert {r["rank"] for r in rows} <= {"1", "2"}


@pytest.mark.parametrize(
    ("name", "content", "line"),
    [
        ("bad.csv", 'title\nok\n"unclosed quote\n', 3),
        ("bad2.csv", "title,x\na,b\nc,d,e\n", 3),
        ("bad.jsonl", '{"title": "ok"}\n{not json}\n', 2),
    ],
)
def test_malformed_input_reports_file_and_line_and_writes_nothing(settings_env, tmp_path, capsys, name, content,
                                                                  line):
    src = tmp_path / name
    src.write_text(content, encoding="utf-8")
    out = tmp_path / "never.csv"
    code, _, err = run(["skills", "normalize-titles", "-i", str(src), "-c", "title", "-o", str(out)], capsys)
    assert code == 1
    assert str(src) in err.replace(" ", "") or str(src) in err
    assert f"line {line}" in err
    assert not out.exists()


def test_too_long_text_in_file(settings_env, tmp_path, capsys):
    src = tmp_path / "long.txt"
    src.write_text("short\n" + "가" * 100_001 + "\n", encoding="utf-8")
    out = tmp_path / "x.jsonl"
    code, _, err = run(["skills", "extract", "-i", str(src), "-o", str(out)], capsys)
    assert code == 1
    assert "line 2" in err and "100,000" in err
    assert not out.exists()


@pytest.mark.parametrize(
    "argv, fragment",
    [
        (["skills", "extract"], "missing option '--input'"),
        (["skills", "extract", "-i", "x.txt", "-o", "y.jsonl", "--top", "0"], "invalid value for '--top'"),
        (["skills", "normalize-titles", "-i", "x.txt", "-o", "y.csv", "--top", "many"], "invalid value for '--top'"),
        (["skills", "no-such-command"], "no such command"),
    ],
)
def test_usage_errors_exit_2_with_a_message(settings_env, capsys, argv, fragment):
    code, out, err = run(argv, capsys)
    assert code == 2
    assert fragment in err.lower() and "traceback" not in (out + err).lower()
