"""The score table (issue 12, item 7): weights add up to 100 %, points add up to the score, and each row's points
are its weight times how well the criterion is met — on random breakdowns from the real fit score."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from talentbridge.matching.weights import CRITERIA
from talentbridge.web.pages.score_table import criteria_rows, largest_remainder


@given(st.lists(st.floats(min_value=0, max_value=10, allow_nan=False), min_size=1, max_size=10),
       st.integers(min_value=0, max_value=2000))  # fmt: skip
def test_largest_remainder_adds_up_exactly(values: list[float], total: int) -> None:
    parts = largest_remainder(values, total)
    assert len(parts) == len(values)
    if sum(values) > 0:
        assert sum(parts) == total
        assert all(abs(p - v * total / sum(values)) < 1 for p, v in zip(parts, values, strict=True))


breakdowns = st.dictionaries(
    st.sampled_from(CRITERIA),
    st.tuples(st.floats(min_value=0.01, max_value=1), st.floats(min_value=0, max_value=1), st.booleans()),
    min_size=1,
)


@settings(max_examples=300)
@given(breakdowns)
def test_weights_sum_to_100_and_points_to_the_score(raw: dict[str, tuple[float, float, bool]]) -> None:
    applicable = {c: v for c, v in raw.items() if v[2]}
    denom = sum(w for w, _, _ in applicable.values())
    breakdown = {}
    for c, (w, s, on) in raw.items():
        share = w / denom if on else 0.0
        # As matching.explain writes them: shares and scores rounded to 3 decimals, points to 1.
        breakdown[c] = {"weight": round(share, 3), "score": round(s, 3), "points": round(100 * share * s, 1),
                        "applicable": on}  # fmt: skip
    table = criteria_rows(breakdown)
    if not applicable or all(b["weight"] == 0 for b in breakdown.values() if b["applicable"]):
        return
    score = sum(100 * (w / denom) * s for w, s, _ in applicable.values())
    assert round(sum(r["weight"] for r in table["rows"]), 6) == 100.0 == table["total_weight"]
    assert abs(table["total_points"] - round(sum(r["points"] for r in table["rows"]), 6)) < 1e-9
    assert abs(table["total_points"] - score) <= 0.1 + 0.4  # the explanation's 3-decimal shares and scores
    for r in table["rows"]:
        assert abs(r["points"] - r["weight"] * r["score"] / 100) <= 0.15
        assert r["points"] <= r["weight"] + 1e-9


def test_the_recommendation_template_shows_the_totals() -> None:
    from talentbridge.web.pages.rendering import environment

    item = {"id": 1, "score": 74.8, "title": "T", "matched": [], "partial": [], "missing": [],
            **(lambda t: {"criteria": t["rows"], "criteria_total": t})(criteria_rows({
                "skills": {"weight": 0.529, "score": 0.77, "points": 40.8, "applicable": True},
                "location": {"weight": 0.118, "score": 1.0, "points": 11.8, "applicable": True},
                "salary": {"weight": 0.353, "score": 0.63, "points": 22.2, "applicable": True},
                "text": {"weight": 0.0, "score": 0.0, "points": 0.0, "applicable": False}}))}  # fmt: skip
    html = environment().get_template("_recommendation.html").render(item=item, _=lambda s, **k: s)
    assert "52.9%" in html and "11.8%" in html and "35.3%" in html and "100.0%" in html
    assert "/ 100" in html and "text" not in html.split("<tbody>")[1].split("</tbody>")[0]
