"""Must-have only when the job text says so: cues on the mention's line, then the section heading above it."""

from __future__ import annotations

import pytest

from talentbridge.skills.requirement_cues import importance_at


def at(text: str, word: str) -> tuple[str, str]:
    i = text.index(word)
    cue = importance_at(text, [(i, i + len(word))])
    return cue.importance, cue.cue


@pytest.mark.parametrize(
    "text, word, importance, cue",
    [
        ("Python, PyTorch, OpenCV 능숙자", "PyTorch", "must", "능숙"),
        ("SQL 활용 필수", "SQL", "must", "필수"),
        ("Docker 사용 경험 필요", "Docker", "must", "필요"),
        ("Kubernetes 경험자 우대", "Kubernetes", "should", "우대"),
        ("Proficient in Python and C++", "C++", "must", "proficient"),
        ("Experience with AWS is required.", "AWS", "must", "required"),
        ("You must know SQL.", "SQL", "must", "must"),
        ("Familiarity with Kafka is a plus.", "Kafka", "should", "a plus"),
        ("We use Docker and Python daily.", "Docker", "should", ""),
        ("Mustard-yellow Docker whale stickers.", "Docker", "should", ""),  # "must" only as a word
    ],
)
def test_line_cues(text, word, importance, cue):
    assert at(text, word) == (importance, cue)


def test_section_headings_decide_for_their_lines():
    text = (
        "주요업무\n- 비전 검사 모델 개발 (PyTorch)\n\n"
        "자격요건\n- Python 3년 이상\n- OpenCV 경험\n\n"
        "우대사항\n- TensorRT 최적화 경험\n"
    )
    assert at(text, "PyTorch") == ("should", "")
    assert at(text, "Python")[0] == "must"
    assert at(text, "OpenCV")[0] == "must"
    assert at(text, "TensorRT")[0] == "should"


def test_a_line_cue_beats_the_heading():
    text = "Requirements:\n- Go is nice to have\n- Python"
    assert at(text, "Go") == ("should", "nice to have")
    assert at(text, "Python")[0] == "must"


def test_no_spans_is_should():
    assert importance_at("필수", []).importance == "should"


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("[우대사항]", True),
        ("■ 자격 요건", True),
        ("Requirements:", True),
        ("What you'll do", True),
        ("## Tech stack", True),
        ("우대사항: 텐서RT 경험", False),  # a heading with content on the line is content
        ("Python 필수", False),
        ("데이터 분석 업무", False),
        ("", False),
    ],
)
def test_a_line_that_is_only_a_heading(line, heading):
    from talentbridge.skills.requirement_cues import is_heading

    assert is_heading(line) is heading
