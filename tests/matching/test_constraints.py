"""Hard constraints: each one on its own, affiliates, and the vectorised filter equals the pair predicate."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from talentbridge.matching import OpeningContext, affiliates_of, eligible_mask, failing
from talentbridge.matching.columns import TalentColumns

from .conftest import TODAY, make_opening, make_talent


def test_each_constraint():
    opening = make_opening(kind="job")
    ctx = OpeningContext(opening, today=TODAY)
    assert failing(make_talent(1), ctx) == []
    assert failing(make_talent(1, consent_visible=False), ctx) == ["consent"]
    assert failing(make_talent(1, consent_visible=False), ctx, check_consent=False) == []
    assert failing(make_talent(1, employment_types=["internship"]), ctx) == ["employment_type"]
    foreigner = make_talent(1, nationality="VN", visa_type="E-7")
    assert failing(foreigner, ctx) == ["work_permit"]
    assert (
        failing(foreigner, OpeningContext(opening.model_copy(update={"visa_sponsorship": True}), today=TODAY))
        == []
    )
    assert failing(make_talent(1, nationality="VN", visa_type="F-5"), ctx) == []
    assert failing(make_talent(1, nationality="US"), ctx) == ["work_permit"]  # visa unknown
    closed = OpeningContext(opening.model_copy(update={"status": "closed"}), today=TODAY)
    assert failing(make_talent(1), closed) == ["opening_status"]
    late = OpeningContext(opening.model_copy(update={"deadline": date(2026, 11, 24)}), today=TODAY)
    assert failing(make_talent(1), late) == ["deadline"]
    today_ok = OpeningContext(opening.model_copy(update={"deadline": TODAY}), today=TODAY)
    assert failing(make_talent(1), today_ok) == []


def test_student_visa_allows_internships_only():
    student = make_talent(1, nationality="IN", visa_type="D-2")
    assert failing(student, OpeningContext(make_opening(kind="internship"), today=TODAY)) == []
    assert failing(student, OpeningContext(make_opening(kind="job"), today=TODAY)) == ["work_permit"]


def test_no_secondment_to_own_employer_or_affiliates():
    orgs = {
        1: SimpleNamespace(parent_id=None, group="삼성"),
        2: SimpleNamespace(parent_id=1, group=None),
        3: SimpleNamespace(parent_id=2, group=None),
        4: SimpleNamespace(parent_id=None, group="삼성"),
        5: SimpleNamespace(parent_id=None, group=None),
    }
    assert affiliates_of(3, orgs) == {1, 2, 3, 4}
    assert affiliates_of(5, orgs) == {5}
    slot = make_opening(kind="secondment_slot", organization_id=3)
    ctx = OpeningContext(slot, affiliate_ids=affiliates_of(3, orgs), today=TODAY)
    for employer in (1, 2, 3, 4):
        assert failing(make_talent(1, current_employer_id=employer), ctx) == ["own_employer"]
    assert failing(make_talent(1, current_employer_id=5), ctx) == []
    # for a job the same employee may apply
    job = OpeningContext(
        make_opening(kind="job", organization_id=3), affiliate_ids=affiliates_of(3, orgs), today=TODAY
    )
    assert failing(make_talent(1, current_employer_id=3), job) == []


@st.composite
def talents(draw, id):
    foreign = draw(st.booleans())
    return make_talent(
        id,
        consent_visible=draw(st.booleans()),
        employment_types=draw(
            st.lists(
                st.sampled_from(["full_time", "secondment", "pbl", "internship", "joint_rnd"]),
                min_size=1,
                max_size=3,
                unique=True,
            )
        ),
        nationality="VN" if foreign else "KR",
        visa_type=draw(st.sampled_from([None, "D-2", "E-7", "F-2", "E-3"])) if foreign else None,
        current_employer_id=draw(st.sampled_from([None, 1, 2, 3])),
    )


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_vectorised_filter_equals_pair_predicate(data):
    people = [data.draw(talents(i)) for i in range(1, 9)]
    opening = make_opening(
        kind=data.draw(st.sampled_from(["job", "secondment_slot", "internship", "joint_rnd", "pbl_project"])),
        organization_id=data.draw(st.sampled_from([1, 2, 4])),
        visa_sponsorship=data.draw(st.booleans()),
        status=data.draw(st.sampled_from(["open", "closed"])),
        deadline=data.draw(st.one_of(st.none(), st.dates(date(2026, 11, 1), date(2026, 12, 31)))),
    )
    ctx = OpeningContext(
        opening,
        affiliate_ids=frozenset({1, 2})
        if opening.organization_id in (1, 2)
        else frozenset({opening.organization_id}),
        today=TODAY,
    )
    cols = TalentColumns.from_talents(people, today=TODAY)
    ok, counts = eligible_mask(cols, ctx)
    for i, t in enumerate(people):
        fails = failing(t, ctx)
        assert ok[i] == (not fails)
    for name, count in counts.items():
        assert count == sum(name in failing(t, ctx) for t in people)
    assert np.array_equal(eligible_mask(cols, ctx, np.array([2, 0]))[0], ok[[2, 0]])
