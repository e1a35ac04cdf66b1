"""``skills.title_choice.confident_match``: a bare title names an occupation only when no rival is close to it."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from talentbridge.skills.title_choice import LEAD, MARGIN, MIN_SCORE, confident_match


@dataclass
class M:
    label: str
    score: float
    isco_code: str = ""
    matched_label: str = ""


def test_close_rivals_of_the_same_unit_group_do_not_block_the_best() -> None:
    # chef and head chef are both ISCO 3434: the title names the chef family, the best is taken
    chef = M("chef", 0.78, "3434.1")
    assert confident_match([chef, M("head chef", 0.74, "3434.2"), M("grill cook", 0.70, "5120")]) is chef


def test_a_close_rival_of_another_unit_group_means_no_occupation() -> None:
    # "Teacher": a politics lecturer (2310) just ahead of a music teacher (2354) names neither
    assert confident_match([M("politics lecturer", 0.78, "2310"), M("music teacher", 0.74, "2354")]) is None


def test_a_title_that_is_the_best_occupations_label_names_it() -> None:
    # "Data Engineer": a data scientist (another unit group) scores close, but the title is the occupation's name
    best = M("Data engineer", 1.0, "2521")
    rival = M("Data scientist", 0.96, "2511")
    assert confident_match([best, rival], "data  ENGINEER") is best
    assert confident_match([best, rival], "Data person") is None
    # an alternative label is shared by several occupations in ESCO: it names none of them on its own
    alt = M("financial controller", 0.8, "2411", matched_label="accountant")
    assert confident_match([alt, M("accounting assistant", 0.79, "3313")], "Accountant") is None


def test_a_clear_lead_or_a_large_margin_is_enough() -> None:
    best = M("machine learning engineer", 0.95, "2511")
    assert confident_match([best, M("equipment engineer", 0.95 - LEAD - 0.01, "2141")]) is best
    small = M("data engineer", 0.04 * MARGIN + MIN_SCORE, "")
    assert confident_match([small, M("data scientist", 0.04, "")]) is small


def test_a_weak_best_or_no_match_is_none() -> None:
    assert confident_match([]) is None
    assert confident_match([M("x", MIN_SCORE / 2, "2511")]) is None
    # an unknown unit group is never "the same" as a rival's
    assert confident_match([M("a", 0.8, ""), M("b", 0.79, "")]) is None


_codes = st.sampled_from(["2511", "2512", "3434", "", "2310"])
_matches = st.lists(
    st.tuples(st.floats(0.0, 1.0, allow_nan=False), _codes), min_size=1, max_size=8
).map(lambda xs: [M(f"o{i}", s, c) for i, (s, c) in enumerate(sorted(xs, key=lambda x: -x[0]))])


@given(_matches)
def test_the_choice_is_the_best_or_nothing(matches: list[M]) -> None:
    chosen = confident_match(matches)
    assert chosen is None or chosen is matches[0]
    if chosen is not None:
        assert chosen.score >= MIN_SCORE


@given(_matches, st.floats(0.0, 0.5, allow_nan=False))
def test_raising_the_best_score_never_loses_the_choice(matches: list[M], raise_by: float) -> None:
    if confident_match(matches) is None:
        return
    higher = [M(matches[0].label, matches[0].score + raise_by, matches[0].isco_code), *matches[1:]]
    assert confident_match(higher) is higher[0]


@given(_matches)
def test_a_rival_of_another_group_within_the_lead_blocks_unless_the_margin_holds(matches: list[M]) -> None:
    best = matches[0]
    blocking = [
        m
        for m in matches[1:]
        if m.score > best.score - LEAD and (not best.isco_code or m.isco_code[:4] != best.isco_code[:4])
    ]
    runner_up = matches[1].score if len(matches) > 1 else 0.0
    if blocking and best.score < MARGIN * runner_up:
        assert confident_match(matches) is None


def test_a_korean_preferred_label_names_the_occupation_when_given() -> None:
    best, rival = M("Data engineer", 0.81, "2521"), M("Data scientist", 0.79, "2511")
    korean = {"Data engineer": ("Data engineer", "데이터 엔지니어"), "Data scientist": ("Data scientist", "데이터 과학자")}
    assert confident_match([best, rival], "데이터 엔지니어", lambda m: korean[m.label]) is best
    assert confident_match([best, rival], "데이터 엔지니어") is None  # without the Korean labels: a close rival
