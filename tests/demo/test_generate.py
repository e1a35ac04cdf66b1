"""The demo generator: deterministic, valid against the domain records, realistic in shape, streamable."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from importlib import resources

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentbridge.demo import (
    DemoDataset,
    default_opening_count,
    generate,
    generate_organizations,
    iter_openings,
    iter_talents,
    load_catalog,
)
from talentbridge.demo._names import SURNAMES
from talentbridge.domain import OpeningData, OrganizationData, ProgramData, TalentData
from talentbridge.domain.business_number import is_valid_business_number
from talentbridge.domain.enums import OpeningKind, OrganizationKind, Region


@pytest.fixture(scope="module")
def dataset() -> DemoDataset:
    return generate(talents=2000, orgs=300, seed=7)


def _dump(ds: DemoDataset) -> str:
    parts = [r.model_dump(mode="json") for r in (*ds.organizations, *ds.talents, *ds.openings, *ds.programs)]
    return json.dumps(parts, sort_keys=True, ensure_ascii=False)


def test_same_seed_same_data_other_seed_other_data() -> None:
    a = generate(talents=300, orgs=40, seed=11)
    b = generate(talents=300, orgs=40, seed=11)
    c = generate(talents=300, orgs=40, seed=12)
    assert _dump(a) == _dump(b)
    assert _dump(a) != _dump(c)


def test_every_record_validates_against_the_domain(dataset: DemoDataset) -> None:
    for model, records in (
        (OrganizationData, dataset.organizations),
        (TalentData, dataset.talents),
        (OpeningData, dataset.openings),
        (ProgramData, dataset.programs),
    ):
        for record in records:
            again = model.model_validate(record.model_dump())
            assert again.model_dump() == record.model_dump()


def test_fast_path_builds_the_same_valid_records() -> None:
    checked = generate(talents=400, orgs=50, seed=3)
    fast = generate(talents=400, orgs=50, seed=3, validate=False)
    assert _dump(checked) == _dump(fast)
    assert [t.model_dump_json() for t in checked.talents] == [t.model_dump_json() for t in fast.talents]
    assert [t.model_fields_set for t in checked.talents] == [t.model_fields_set for t in fast.talents]
    assert [o.model_dump_json() for o in checked.openings] == [o.model_dump_json() for o in fast.openings]
    for talent in fast.talents:
        TalentData.model_validate(talent.model_dump())
    for opening in fast.openings:
        OpeningData.model_validate(opening.model_dump())


def test_organizations_have_every_kind_valid_unique_business_numbers_and_clustered_regions() -> None:
    orgs = generate_organizations(600, seed=1)
    kinds = Counter(o.kind for o in orgs)
    assert set(kinds) == set(OrganizationKind)
    numbers = [o.business_number for o in orgs]
    assert all(n and is_valid_business_number(n) for n in numbers)
    assert len(set(numbers)) == len(numbers)
    assert len({o.external_id for o in orgs}) == len(orgs)
    startups = [o for o in orgs if o.kind is OrganizationKind.AI_STARTUP]
    clustered = sum(o.region in (Region.SEOUL, Region.GYEONGGI, Region.DAEJEON) for o in startups)
    assert clustered / len(startups) > 0.7
    makers = [o for o in orgs if o.kind is OrganizationKind.MANUFACTURER]
    industrial = sum(
        o.region in (Region.ULSAN, Region.GYEONGNAM, Region.GYEONGBUK, Region.CHUNGNAM, Region.GYEONGGI)
        for o in makers
    )
    assert industrial / len(makers) > 0.6
    assert all(o.industry == "C" for o in makers)
    assert any(o.name == "KAIST" for o in orgs) and any(o.name == "서울대학교" for o in orgs)


def test_affiliates_point_to_an_earlier_organization_of_their_group() -> None:
    orgs = generate_organizations(400, seed=2)
    affiliates = [(pos, o) for pos, o in enumerate(orgs, start=1) if o.parent_id]
    assert affiliates
    for pos, org in affiliates:
        parent = orgs[org.parent_id - 1]
        assert org.parent_id < pos
        assert parent.group == org.group and parent.kind is OrganizationKind.LARGE_ENTERPRISE


def test_talent_population_looks_korean_with_some_foreign_talent(dataset: DemoDataset) -> None:
    talents = dataset.talents
    foreign = [t for t in talents if t.nationality != "KR"]
    assert 0.05 < len(foreign) / len(talents) < 0.14
    assert len({t.nationality for t in foreign}) >= 6
    assert all(t.visa_type is None for t in talents if t.nationality == "KR")
    assert {str(t.visa_type) for t in foreign if t.visa_type} >= {"D-2", "D-10", "E-7", "F-2", "F-5"}
    surnames = Counter(t.name[0] for t in talents if t.nationality == "KR")
    assert surnames.most_common(1)[0][0] == "김"
    assert set(surnames) <= {s for s, _r, _w in SURNAMES}
    assert surnames["김"] > surnames["이"] > surnames["최"]
    emails = [t.email for t in talents if t.email]
    assert len(emails) == len(set(emails))
    assert all(t.skills and t.education and t.resume_text for t in talents)
    assert any("기반" in (t.resume_text or "") for t in talents)
    assert Counter(t.gender for t in talents).most_common(1)[0][0].value == "male"
    assert sum(1 for t in talents if t.work_history) > len(talents) / 2


def test_references_are_positions_of_organizations(dataset: DemoDataset) -> None:
    n = len(dataset.organizations)
    employed = [t for t in dataset.talents if t.current_employer_id]
    assert employed
    for talent in employed:
        assert 1 <= talent.current_employer_id <= n
        employer = dataset.organization_for(talent.current_employer_id)
        assert talent.work_history[-1].organization in (employer.name, employer.name_en)
    assert all(1 <= o.organization_id <= n for o in dataset.openings)


def test_openings_of_every_kind_with_required_skills(dataset: DemoDataset) -> None:
    assert len(dataset.openings) == default_opening_count(dataset.organizations)
    assert {o.kind for o in dataset.openings} == set(OpeningKind)
    for opening in dataset.openings:
        assert opening.required_skills
        assert any(r.importance.value == "must" for r in opening.required_skills)
        assert opening.title and opening.description
    assert {p.kind.value for p in dataset.programs} >= {"talent_exchange", "pbl", "internship"}


def test_skill_ids_come_from_the_builtin_taxonomy_when_it_is_there(dataset: DemoDataset) -> None:
    known: set[str] = set()
    for name in ("skills_core.jsonl", "skills_industry.jsonl"):
        try:
            text = resources.files("talentbridge.skills").joinpath("data", name).read_text(encoding="utf-8")
        except FileNotFoundError:
            continue
        known |= {json.loads(line)["id"] for line in text.splitlines() if line.strip()}
    assert load_catalog().from_files, "the demo reads skill ids from the shipped taxonomy files"
    used = {s.skill_id for t in dataset.talents for s in t.skills}
    used |= {r.skill_id for o in dataset.openings for r in o.required_skills}
    assert used <= known


def test_streaming_is_independent_of_chunk_size_and_slices_agree() -> None:
    orgs = generate_organizations(30, seed=5)
    whole = [t for batch in iter_talents(2500, 5, chunk=2500, organizations=orgs) for t in batch]
    chunks = list(iter_talents(2500, 5, chunk=700, organizations=orgs))
    assert [len(c) for c in chunks] == [700, 700, 700, 400]
    assert [t for c in chunks for t in c] == whole
    tail = [t for batch in iter_talents(600, 5, organizations=orgs, start=1901) for t in batch]
    assert tail == whole[1900:]
    assert tail[0].external_id == "demo-talent-0001901"
    openings = [o for batch in iter_openings(1200, 5, orgs, chunk=500) for o in batch]
    assert len(openings) == 1200 and len({o.external_id for o in openings}) == 1200


def test_talents_without_organizations_have_no_employer_ids() -> None:
    talents = [t for batch in iter_talents(200, 9) for t in batch]
    assert len(talents) == 200
    assert all(t.current_employer_id is None for t in talents)
    assert sum(1 for t in talents if t.work_history) > 50


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(talents=st.integers(0, 40), orgs=st.integers(0, 25), seed=st.integers(0, 10_000))
def test_any_small_size_gives_valid_consistent_data(talents: int, orgs: int, seed: int) -> None:
    ds = generate(talents=talents, orgs=orgs, seed=seed)
    assert len(ds.organizations) == orgs and len(ds.talents) == talents
    assert len({o.business_number for o in ds.organizations}) == orgs
    for t in ds.talents:
        TalentData.model_validate(t.model_dump())
        assert t.current_employer_id is None or 1 <= t.current_employer_id <= orgs
    for o in ds.openings:
        assert 1 <= o.organization_id <= orgs


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        generate(talents=-1, orgs=1, seed=1)


def test_generator_is_pure() -> None:
    code = (
        "import sys; from talentbridge.demo import generate; generate(20, 10, 1); "
        "bad = [m for m in ('sqlalchemy', 'fastapi', 'typer', 'talentbridge.storage') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
