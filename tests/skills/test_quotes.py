"""The quote of an inferred skill is the line it was read from, without bullets, numbering or heading brackets;
hand-made spans, so nothing here depends on a model."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentbridge.skills.quotes import line_quote

KO = "[자격요건]\n- PyTorch 기반 모델 개발 경험\n- 도커 사용 능숙자\n[우대사항]\n• 대규모 데이터 파이프라인 구축 경험"
EN = (
    "Requirements:\n- Experience building models with PyTorch\n* Comfortable deploying services with Docker\n"
    "Nice to have:\n1. Experience running large data pipelines\n2) Cloud infrastructure operations."
)


def span(text: str, quoted: str) -> tuple[int, int]:
    i = text.index(quoted)
    return i, i + len(quoted)


@pytest.mark.parametrize(
    "text, window, quote",
    [
        (KO, "요건]\n- PyTorch", "PyTorch 기반 모델 개발 경험"),  # the heading's end is not what was read
        (KO, "능숙자\n[우대", "도커 사용 능숙자"),
        (KO, "경험\n- 도커 사용 능숙자", "도커 사용 능숙자"),  # the line holding most of the window
        (KO, "모델 개발", "PyTorch 기반 모델 개발 경험"),  # a window inside one line quotes the line
        (KO, "사항]\n• 대규모", "대규모 데이터 파이프라인 구축 경험"),  # a heading line is never the quote
        (EN, "pipelines\n2", "Experience running large data pipelines"),
        (EN, "pipelines\n2) Cloud infrastructure", "Cloud infrastructure operations"),  # no trailing full stop
        (EN, "PyTorch\n* Comfort", "Experience building models with PyTorch"),  # a tie: the first line
        (EN, "have:\n1. Experience", "Experience running large data pipelines"),
    ],
)
def test_the_quote_is_the_line_holding_most_of_the_span(text: str, window: str, quote: str) -> None:
    assert line_quote(text, span(text, window)) == quote


@pytest.mark.parametrize(
    "line, quote",
    [
        ("- PyTorch 기반 모델 개발", "PyTorch 기반 모델 개발"),
        ("  •  Docker 운영 경험 ", "Docker 운영 경험"),
        ("· 쿠버네티스 운영", "쿠버네티스 운영"),
        ("* Kubernetes in production;", "Kubernetes in production"),
        ("1. Python programming", "Python programming"),
        ("(2) SQL 튜닝 경험", "SQL 튜닝 경험"),
        ("① 데이터 분석", "데이터 분석"),
        ("[자격요건] PyTorch 경험", "PyTorch 경험"),  # a heading in brackets opening the line
        ("■ 컴퓨터 비전 모델 개발", "컴퓨터 비전 모델 개발"),
        ("[Computer vision]", "Computer vision"),
        ("- 경력 3년 이상 (석사 포함)", "경력 3년 이상 (석사 포함)"),  # balanced brackets stay
        ("2.5 years of C++", "2.5 years of C++"),  # a number, not numbering
    ],
)
def test_bullets_numbering_and_brackets_are_trimmed(line: str, quote: str) -> None:
    text = f"Intro line\n{line}\nLast line"
    assert line_quote(text, span(text, line.strip(" -•·*■"))) == quote


def test_nothing_left_falls_back_to_the_text_at_the_span() -> None:
    text = "[자격요건]\n2021.03\n[우대사항]"
    assert line_quote(text, (3, 14)) == text[3:14]  # headings and a date: no line to quote


def test_a_long_line_gives_only_the_spans_part_of_it() -> None:
    line = "We build " + "models and services " * 20 + "with PyTorch and Docker every day."
    text = f"- {line}\n- Next"
    assert line_quote(text, span(text, "PyTorch and Docker")) == "PyTorch and Docker"
    assert line_quote(text, span(text, "PyTorch and Docker"), limit=len(line)) == line.rstrip(".")


_PIECES = ["- ", "• ", "1. ", "[자격요건]", "Requirements:", "\n", "\n", " ", "PyTorch", "모델 개발", "경험",
           ". ", ".NET"]  # fmt: skip


@given(st.lists(st.sampled_from(_PIECES), max_size=16), st.data())
def test_a_quote_is_one_clean_line_touched_by_the_span(pieces: list[str], data: st.DataObject) -> None:
    text = "".join(pieces)
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    quote = line_quote(text, (a, b))
    touched, start = [], text.rfind("\n", 0, a) + 1
    while start < b:  # the lines holding part of the span
        end = text.find("\n", start) if text.find("\n", start) >= 0 else len(text)
        if min(b, end) > max(a, start):
            touched.append(text[start:end])
        start = end + 1
    clean = (
        any(quote in line for line in touched)
        and "\n" not in quote
        and quote == quote.strip(" :")
        and not quote.startswith(("-", "•", "[", "1.", ". "))
    )
    if any(word in line for line in touched for word in ("PyTorch", "모델", "경험", "NET")):
        assert clean, quote
    else:  # only headings, bullets and punctuation: perhaps no line to quote, and then the old text
        assert clean or quote == text[a:b], quote
