"""Synthetic organizations of the demo: AI startups clustered in Seoul, Pangyo and Daejeon; manufacturers in
Ulsan, Changwon, Gumi, Pohang and Asan; large-enterprise groups with affiliates; universities, institutes and
agencies. Business numbers are valid (check digit) and tied to each organization's position."""

from __future__ import annotations

import random
import unicodedata
from datetime import date, timedelta
from typing import Any

from talentbridge.demo import _places
from talentbridge.demo._common import DEMO_TODAY, _Pick
from talentbridge.domain import (
    OrganizationData,
)
from talentbridge.domain.business_number import business_number_check_digit
from talentbridge.domain.enums import (
    OrganizationKind,
    SizeBand,
)

__all__ = ["generate_organizations", "slug"]

_KIND_SHARE: list[tuple[OrganizationKind, float]] = [
    (OrganizationKind.AI_STARTUP, 0.45),
    (OrganizationKind.MANUFACTURER, 0.35),
    (OrganizationKind.LARGE_ENTERPRISE, 0.06),
    (OrganizationKind.UNIVERSITY, 0.05),
    (OrganizationKind.RESEARCH_INSTITUTE, 0.05),
    (OrganizationKind.PUBLIC_AGENCY, 0.04),
]
_KIND_CAP = {
    OrganizationKind.UNIVERSITY: len(_places.UNIVERSITIES),
    OrganizationKind.RESEARCH_INSTITUTE: len(_places.INSTITUTES),
    OrganizationKind.PUBLIC_AGENCY: len(_places.AGENCIES),
}
_SIZE = {
    OrganizationKind.AI_STARTUP: _Pick([(SizeBand.MICRO, 40), (SizeBand.SMALL, 45), (SizeBand.MEDIUM, 15)]),
    OrganizationKind.MANUFACTURER: _Pick(
        [(SizeBand.SMALL, 35), (SizeBand.MEDIUM, 45), (SizeBand.MIDSIZE, 15), (SizeBand.LARGE, 5)]
    ),
    OrganizationKind.LARGE_ENTERPRISE: _Pick([(SizeBand.LARGE, 1)]),
    OrganizationKind.UNIVERSITY: _Pick([(SizeBand.LARGE, 7), (SizeBand.MIDSIZE, 3)]),
    OrganizationKind.RESEARCH_INSTITUTE: _Pick([(SizeBand.MIDSIZE, 5), (SizeBand.LARGE, 5)]),
    OrganizationKind.PUBLIC_AGENCY: _Pick([(SizeBand.MEDIUM, 6), (SizeBand.MIDSIZE, 4)]),
}
_STARTUP_FOCUS = [
    "제조 비전 검사", "LLM 기반 업무 자동화", "의료 영상 AI", "예지보전", "자율주행 인지", "물류 로봇",
    "음성 인식", "AI 반도체 컴파일러", "리테일 수요 예측", "생성형 AI 콘텐츠", "에듀테크 AI 튜터", "MLOps 플랫폼",
]  # fmt: skip
_MAKER_PRODUCTS = [
    "자동차 부품", "조선 기자재", "2차전지 소재", "반도체 장비 부품", "정밀 금형", "디스플레이 부품",
    "산업용 밸브", "철강 가공품", "전자 부품", "화학 소재", "공작기계", "방산 부품",
]  # fmt: skip


def _kind_counts(n: int) -> list[tuple[OrganizationKind, int]]:
    kinds = [k for k, _ in _KIND_SHARE]
    if n < len(kinds):
        return [(k, 1) for k in kinds[:n]]
    counts = {k: max(1, int(n * share)) for k, share in _KIND_SHARE}
    for kind, cap in _KIND_CAP.items():
        counts[kind] = min(counts[kind], cap)
    rest = n - sum(counts.values())
    # what is left (rounding, capped kinds) goes to startups and manufacturers, 55:45
    extra_startups = (rest * 55 + 50) // 100
    counts[OrganizationKind.AI_STARTUP] += extra_startups
    counts[OrganizationKind.MANUFACTURER] += rest - extra_startups
    if counts[OrganizationKind.MANUFACTURER] < 1:  # tiny n: take from startups
        counts[OrganizationKind.AI_STARTUP] += counts[OrganizationKind.MANUFACTURER] - 1
        counts[OrganizationKind.MANUFACTURER] = 1
    # parents first: large enterprises lead, so a parent always comes before its affiliates
    order = [
        OrganizationKind.LARGE_ENTERPRISE,
        OrganizationKind.UNIVERSITY,
        OrganizationKind.RESEARCH_INSTITUTE,
        OrganizationKind.PUBLIC_AGENCY,
        OrganizationKind.AI_STARTUP,
        OrganizationKind.MANUFACTURER,
    ]
    return [(k, counts[k]) for k in order]


class _BusinessNumbers:
    """Valid 사업자등록번호 tied to the organization's position: tax office (3) + type (2: 81/86/87 companies,
    82 non-profits) + serial (4) + check digit. Office and serial come from the position, so numbers are unique
    within a dataset and the same position keeps its number whatever the seed (re-running ``demo`` with another
    seed updates rows instead of clashing on the unique business number)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def __call__(self, nonprofit: bool, position: int) -> str:
        office = 101 + position % 799
        serial = 1 + position // 799
        kind = "82" if nonprofit else ("81", "86", "87")[position % 3]
        first9 = f"{office:03d}{kind}{serial:04d}"
        return first9 + str(business_number_check_digit(first9))


class _UniqueNames:
    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def take(self, name: str) -> bool:
        if name in self.seen:
            return False
        self.seen[name] = 1
        return True

    def force(self, name: str, name_en: str) -> tuple[str, str]:
        count = self.seen.get(name, 0) + 1
        self.seen[name] = count
        return (name, name_en) if count == 1 else (f"{name} {count}", f"{name_en} {count}")


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in ascii_text.lower() if c.isalnum())


def generate_organizations(n: int, seed: int, today: date = DEMO_TODAY) -> list[OrganizationData]:
    """``n`` organizations: AI startups (Seoul, Pangyo, Daejeon), manufacturers (Ulsan, Changwon, Gumi, Pohang,
    Asan ...), large-enterprise groups with affiliates (``group``, ``parent_id`` = position of the flagship),
    real universities, research institutes and agencies. Deterministic for ``seed``; business numbers are unique
    and valid."""
    rng = random.Random(f"{seed}:organizations")
    numbers = _BusinessNumbers(rng)
    names = _UniqueNames()
    out: list[OrganizationData] = []
    startup_region = _Pick(_places.STARTUP_REGIONS)
    maker_region = _Pick(_places.MANUFACTURER_REGIONS)
    large_region = _Pick(_places.LARGE_REGIONS)

    def add(nonprofit: bool, **fields: Any) -> int:
        pos = len(out) + 1
        fields.setdefault("external_id", f"demo-org-{pos:05d}")
        fields["business_number"] = numbers(nonprofit, pos)
        out.append(OrganizationData(**fields))
        return pos

    for kind, count in _kind_counts(n):
        if kind is OrganizationKind.LARGE_ENTERPRISE:
            _large_enterprises(count, rng, names, large_region, today, add)
        elif kind is OrganizationKind.UNIVERSITY:
            for ko, en, region, _w in sorted(_places.UNIVERSITIES, key=lambda u: -u[3])[:count]:
                names.take(ko)
                add(name=ko, name_en=en, kind=kind, region=region, size_band=_SIZE[kind](rng), industry="P",
                    nonprofit=True, founded=date(rng.randint(1946, 1995), 3, 1),
                    website=f"https://www.{slug(en)[:20]}.ac.example", description=f"{ko}: AI·데이터 관련 학과와 산학협력단을 운영합니다.")  # fmt: skip
        elif kind in (OrganizationKind.RESEARCH_INSTITUTE, OrganizationKind.PUBLIC_AGENCY):
            source = _places.INSTITUTES if kind is OrganizationKind.RESEARCH_INSTITUTE else _places.AGENCIES
            for ko, en, region in source[:count]:
                names.take(ko)
                is_institute = kind is OrganizationKind.RESEARCH_INSTITUTE
                add(name=ko, name_en=en, kind=kind, region=region, size_band=_SIZE[kind](rng),
                    industry="M" if is_institute else "O", nonprofit=True,
                    founded=date(rng.randint(1966, 2015), rng.randint(1, 12), 1),
                    website=f"https://www.{slug(en)[:20]}.re.example",
                    description=(f"{ko}({en}): 정부출연연구기관. 산업 AI 공동연구와 인재 교류를 수행합니다." if is_institute
                                 else f"{ko}({en}): 지역 AI 인재 양성과 기업 지원 사업을 운영합니다."))  # fmt: skip
        elif kind is OrganizationKind.AI_STARTUP:
            pre, mid, suf = _places.STARTUP_NAME_PARTS
            for _ in range(count):
                for _attempt in range(8):
                    a, b, c = rng.choice(pre), rng.choice(mid), rng.choice(suf)
                    if not (b[0] or c[0]):
                        c = ("랩스", "Labs")
                    ko, en = a[0] + b[0] + c[0], " ".join(p for p in (a[1] + b[1].lower(), c[1]) if p)
                    if names.take(ko):
                        break
                else:
                    ko, en = names.force(ko, en)
                region = startup_region(rng)
                city = rng.choice(_places.CITIES[region])
                focus = rng.choice(_STARTUP_FOCUS)
                add(name=ko, name_en=en, kind=kind, region=region, size_band=_SIZE[kind](rng),
                    industry="J" if rng.random() < 0.8 else "M", nonprofit=False,
                    founded=today - timedelta(days=rng.randint(300, 4500)), venture_certified=rng.random() < 0.65,
                    website=f"https://{slug(en)[:24]}.example.com",
                    description=f"{city} 소재 AI 스타트업. {focus} 솔루션을 개발합니다.")  # fmt: skip
        else:  # manufacturers
            pre2, prod = _places.MAKER_NAME_PARTS
            for _ in range(count):
                for _attempt in range(8):
                    a, b = rng.choice(pre2), rng.choice(prod)
                    ko, en = a[0] + b[0], f"{a[1]} {b[1]}"
                    if names.take(ko):
                        break
                else:
                    ko, en = names.force(ko, en)
                region = maker_region(rng)
                city = rng.choice(_places.CITIES[region])
                product = rng.choice(_MAKER_PRODUCTS)
                add(name=ko, name_en=en, kind=kind, region=region, size_band=_SIZE[kind](rng), industry="C",
                    nonprofit=False, venture_certified=rng.random() < 0.1,
                    founded=today - timedelta(days=rng.randint(5 * 365, 50 * 365)),
                    website=f"https://{slug(en)[:24]}.example.co.kr",
                    description=f"{city} 소재 {product} 제조기업. 스마트공장 고도화를 위해 AI 인재를 찾고 있습니다.")  # fmt: skip
    return out


def _large_enterprises(count, rng, names, region_pick, today, add) -> None:  # type: ignore[no-untyped-def]
    groups = list(_places.GROUP_NAMES)
    rng.shuffle(groups)
    n_groups = max(1, min(len(groups), (count + 3) // 4))
    made = 0
    for gi in range(n_groups):
        gko, gen = groups[gi]
        suffixes = list(_places.AFFILIATE_SUFFIXES)
        rng.shuffle(suffixes)
        size = (count - made) if gi == n_groups - 1 else max(1, min(len(suffixes), count // n_groups))
        size = min(size, len(suffixes))
        parent: int | None = None
        for sko, sen, ksic in suffixes[:size]:
            ko, en = names.force(gko + sko, f"{gen} {sen}")
            region = region_pick(rng)
            pos = add(name=ko, name_en=en, kind=OrganizationKind.LARGE_ENTERPRISE, region=region,
                      size_band=SizeBand.LARGE, industry=ksic, nonprofit=False,
                      founded=today - timedelta(days=rng.randint(20 * 365, 70 * 365)), parent_id=parent,
                      group=f"{gko}그룹", website=f"https://www.{slug(en)[:24]}.example.com",
                      description=f"{gko}그룹 계열사. 사내 AI 조직과 스타트업 인재교류 프로그램을 운영합니다.")  # fmt: skip
            parent = parent or pos
            made += 1
    pre2, _prod = _places.MAKER_NAME_PARTS
    while made < count:  # more large enterprises than the groups hold: independent ones
        sko, sen, ksic = rng.choice(_places.AFFILIATE_SUFFIXES)
        a = rng.choice(pre2)
        ko, en = names.force(a[0] + sko, f"{a[1]} {sen}")
        add(name=ko, name_en=en, kind=OrganizationKind.LARGE_ENTERPRISE, region=region_pick(rng),
            size_band=SizeBand.LARGE, industry=ksic, nonprofit=False,
            founded=today - timedelta(days=rng.randint(20 * 365, 60 * 365)))  # fmt: skip
        made += 1
