"""Gap diagnosis (issue 15, item 2): met / partly met through related skills / missing, weighted by importance,
credited as the matching core credits; explained in Korean and English."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from talentbridge.matching.graph import SkillGraph
from talentbridge.skills.builtin import load_builtin
from talentbridge.upskilling.gap import Requirement, diagnose

_TAXONOMY = load_builtin()
GRAPH = SkillGraph(_TAXONOMY)
SKILLS = sorted(_TAXONOMY.skills)[:60] + ["python", "pytorch", "tensorflow", "deep-learning"]


def test_exact_related_and_missing() -> None:
    reqs = [Requirement("pytorch", 3, "must"), Requirement("python", 3, "must"), Requirement("kubernetes", 1, "nice")]
    held = [{"skill_id": "python", "level": 4, "source": "explicit"}]
    sibling = next(s for s, rel in GRAPH.sources("pytorch").items() if rel == "sibling")
    held.append({"skill_id": sibling, "level": 3, "source": "explicit"})
    report = diagnose(held, reqs, GRAPH)
    status = {i.skill_id: i.status for i in report.items}
    assert status == {"python": "met", "pytorch": "partly_met", "kubernetes": "missing"}
    pytorch = next(i for i in report.items if i.skill_id == "pytorch")
    # the best credit wins: Python is listed as related to PyTorch (0.5), above the sibling (0.4)
    assert GRAPH.relation("pytorch", "python") == "related"
    assert pytorch.relation == "related" and pytorch.credit == 0.5 and pytorch.via_skill == "python"
    assert "일부 충족" in pytorch.explain("ko") and "partly met" in pytorch.explain("en")
    assert [i.skill_id for i in report.missing_must] == ["pytorch"]
    # weights: must 1, nice 0.25 → (1 + 0.5) / 2.25
    assert abs(report.coverage - 1.5 / 2.25) < 1e-9


claims = st.lists(
    st.fixed_dictionaries(
        {
            "skill_id": st.sampled_from(SKILLS),
            "level": st.integers(1, 5),
            "source": st.sampled_from(["explicit", "inferred"]),
            "confidence": st.floats(0.05, 1),
        }
    ),  # fmt: skip
    max_size=8,
)
requirements = st.lists(
    st.builds(Requirement, st.sampled_from(SKILLS), st.integers(1, 5), st.sampled_from(["must", "should", "nice"])),
    max_size=8,
)


@settings(max_examples=150, deadline=None)
@given(held=claims, reqs=requirements)
def test_statuses_agree_with_credit_and_coverage_is_bounded(held: list[dict], reqs: list[Requirement]) -> None:
    report = diagnose(held, reqs, GRAPH)
    assert len(report.items) == len({r.skill_id for r in reqs})
    assert 0 <= report.coverage <= 1
    for item in report.items:
        assert (item.status == "missing") == (item.credit == 0)
        if item.status == "met":
            assert item.relation in ("exact", "narrower") and item.held_level >= item.level
    # holding every required skill exactly, explicitly, at its level meets everything
    full = [{"skill_id": r.skill_id, "level": 5, "source": "explicit"} for r in reqs]
    assert all(i.status == "met" for i in diagnose(full, reqs, GRAPH).items)
    # more skills never lower the coverage
    assert diagnose(held + full, reqs, GRAPH).coverage >= report.coverage - 1e-12
