"""Job titles read from a résumé's work-history lines (``skills.resume_titles``), English and Korean."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from talentbridge.skills.resume_titles import (
    DATE_RANGE,
    HEADLINE_WORDS,
    MAX_WORDS,
    headline_titles,
    titles_from_resume,
)

ENGLISH = """Summary
Quality engineer with eight years in automotive parts; since 2019 I have led vision inspection projects.
Experience
Senior Quality Engineer 03/2019 to Current Hanul Motors, Ulsan
Led the vision inspection line.
Hanul Motors Ulsan Quality Engineer Jan 2015 - Feb 2019
Machine Operator
2012 - 2014
Education
Bachelor of Science, Mechanical Engineering 2008 - 2012 Pusan National University
"""

KOREAN = """경력
2020.03 ~ 현재 한빛정밀 / 비전 AI 엔지니어
2017년 3월 ~ 2020년 2월 대성전자 데이터 분석가
학력
2013.03 - 2017.02 부산대학교 기계공학 학사
"""


def test_english_lines_give_titles_in_order_dates_and_schooling_left_out():
    assert titles_from_resume(ENGLISH) == [
        "Senior Quality Engineer Hanul Motors, Ulsan",
        "Hanul Motors Ulsan Quality Engineer",
        "Machine Operator",  # the dates on a line of their own: the title is the line above
    ]


def test_korean_dates_and_open_ends():
    assert titles_from_resume(KOREAN) == ["한빛정밀 / 비전 AI 엔지니어", "대성전자 데이터 분석가"]


def test_limit_repeats_and_empty_input():
    text = "\n".join(f"Data Scientist 0{m}/2020 to 0{m + 1}/2020" for m in range(1, 6)) + "\nAnalyst 2018 - 2019"
    assert titles_from_resume(text) == ["Data Scientist", "Analyst"]  # each title once
    assert titles_from_resume(text, limit=1) == ["Data Scientist"]
    assert titles_from_resume("") == [] and titles_from_resume(None) == []
    assert titles_from_resume("No dates here at all.\nJust prose.") == []
    assert titles_from_resume("Part a2019-2020b glued to words") == []


def test_a_sentence_that_mentions_years_is_not_a_title():
    text = "From 2010 to 2015 I worked on many interesting problems for the company and its customers all over the world"
    assert titles_from_resume(text) == []


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_any_text_gives_short_distinct_titles_without_date_ranges(text):
    out = titles_from_resume(text)
    assert len(out) <= 8
    assert len({t.lower() for t in out}) == len(out)
    for title in out:
        assert len(title) >= 2 and len(title.split()) <= MAX_WORDS
        assert DATE_RANGE.search(title) is None and title == title.strip()


def test_brackets_durations_and_mis_decoded_characters():
    text = """경력
한빛정밀 (2019.03 ~ 2021.02, 2년) 데이터 분석가
대성전자 [2016.01 - 2018.12] (3년 2개월) 비전 엔지니어
Analyst (Finance) 2009 - 2010
Chef at Café Anaïs Â 2010 - 2012
(2015 - 2016) Designer
"""
    assert titles_from_resume(text) == [
        "한빛정밀 데이터 분석가",  # the range, its duration and the brackets they leave are taken out
        "대성전자 비전 엔지니어",
        "Analyst (Finance)",  # brackets with words in them stay
        "Chef at Café Anaïs",  # a real ï stays; a mis-decoded no-break space ("Â ") does not
        "Designer",
    ]


def test_the_headline_names_the_job_before_the_first_heading():
    assert headline_titles("SENIOR QUALITY ENGINEER\n" + ENGLISH) == ["SENIOR QUALITY ENGINEER"]
    # a name and the title on lines of their own, contact details passed over, the body's heading ends the search
    text = "Mina Park\nmina.park@example.com | 010-2345-6789\nData Analyst\nSummary\nAnalyst of ..."
    assert headline_titles(text) == ["Mina Park", "Data Analyst"]
    assert headline_titles("Mina Park\n+82 10 2345 6789\nSeoul\nData Analyst") == ["Mina Park", "Seoul"]  # limit 2
    assert headline_titles("A\nB\nC\nD\nData Analyst", limit=5) == ["A", "B", "C", "D"]  # the first four lines
    assert headline_titles("이력서\n비전 AI 엔지니어\n경력 요약\n제조 현장 ...") == ["비전 AI 엔지니어"]  # the document's title is no headline


def test_form_fields_at_the_top_give_only_a_job():
    text = "이력서\n성명: 홍길동\n생년월일: 1990.01.01\n희망 직무: 데이터 분석가\n경력\n..."
    assert headline_titles(text) == ["데이터 분석가"]  # the name and birth-date fields are passed over
    assert headline_titles("Name: Jane Doe\nPosition: Senior Accountant\nSummary") == ["Senior Accountant"]
    assert headline_titles("Address: 12 Main St\nSummary") == []


def test_the_persons_own_name_is_no_job_title():
    assert headline_titles("이력서\n홍길동\n머신러닝 엔지니어\n경력", name="홍길동") == ["머신러닝 엔지니어"]
    assert headline_titles("비전 AI 엔지니어 홍길동\n경력", name="홍길동") == ["비전 AI 엔지니어"]
    assert headline_titles("JANE DOE\nSenior Accountant", name="Jane Doe") == ["Senior Accountant"]
    assert headline_titles("JANE DOE\nSenior Accountant") == ["JANE DOE", "Senior Accountant"]  # name unknown


def test_no_headline_when_the_resume_opens_with_its_body():
    assert headline_titles(ENGLISH) == []  # "Summary": a heading
    assert headline_titles(KOREAN) == []  # "경력"
    assert headline_titles("Professional Summary\nData Analyst") == []
    assert headline_titles("Accountant 01/2015 to Current\nAcme") == []  # a work-history line, not a headline
    sentence = "Dedicated analyst with ten years of experience in audits, tax and reporting.\nSkills"
    assert headline_titles(sentence) == []
    assert headline_titles("Bachelor of Science in Finance\nSummary") == []  # schooling
    assert headline_titles("") == [] and headline_titles(None) == []


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_gives_at_most_two_short_headline_lines(text):
    out = headline_titles(text)
    assert len(out) <= 2 and len({t.lower() for t in out}) == len(out)
    first_lines = [line for line in text.splitlines() if line.strip()][:3]
    for title in out:
        assert 1 <= len(title.split()) <= HEADLINE_WORDS and "@" not in title
        assert all(word in " ".join(first_lines) for word in title.split())  # read from the first lines
