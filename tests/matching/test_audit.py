"""Impact ratios: the four-fifths rule on hand-made shortlists."""

from __future__ import annotations

from datetime import date

import numpy as np

from talentbridge.matching.audit import ShortlistAudit, impact_ratios
from talentbridge.matching.columns import TalentColumns

from .conftest import make_talent


def test_impact_ratio_and_flag():
    labels = np.array(["a"] * 50 + ["b"] * 50 + ["c"] * 1)
    eligible = np.ones(101, dtype=int)
    selected = np.array([1] * 20 + [0] * 30 + [1] * 10 + [0] * 40 + [0])
    rates = {g.group: g for g in impact_ratios("x", labels, eligible, selected)}
    assert rates["a"].rate == 0.4 and rates["a"].impact_ratio == 1.0
    assert rates["b"].impact_ratio == 0.5 and rates["b"].flagged
    assert rates["c"].small and not rates["c"].flagged  # under 2% of appearances


def test_shortlist_audit_report():
    people = [
        make_talent(1, gender="female", birth_year=1995, region="seoul"),
        make_talent(2, gender="male", birth_year=1980, region="busan", nationality="VN", visa_type="F-5"),
        make_talent(3, gender="female", birth_year=1999),
        make_talent(4, gender="male"),
    ]
    cols = TalentColumns.from_talents(people)
    audit = ShortlistAudit(cols, today=date(2026, 11, 25))
    audit.add(np.arange(4), [0, 2])
    audit.add(np.arange(4), [0, 1])
    report = audit.report(k=2)
    gender = {g["group"]: g for g in report["dimensions"]["gender"]}
    assert gender["female"]["rate"] == 0.75 and gender["male"]["rate"] == 0.25
    assert gender["male"]["flagged"] and not gender["female"]["flagged"]
    ages = {g["group"] for g in report["dimensions"]["age_band"]}
    assert ages == {"30-39", "<30", "40-49", "unknown"}
    assert {g["group"] for g in report["dimensions"]["nationality"]} == {"korean", "foreign"}
    assert report["openings"] == 2 and report["flagged"]
