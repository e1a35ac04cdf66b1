"""Occupation-level check of the Korean title weights: everyday Korean job titles and the ESCO occupations that
are a sensible first answer for each.

    PYTHONPATH=src .venv/bin/python benchmarks/korean_everyday_titles.py --threads 1            # product, hand-set
    PYTHONPATH=src .venv/bin/python benchmarks/korean_everyday_titles.py --weights fitted.json   # and other weights

The major-group metric of ``eval_skills.py --only korean`` scores only the ISCO major group of the top occupation,
so weights fitted on it can win by choosing a generic occupation of the right group (간호사 → *tutor*). This list
asks the question a user asks: is the first occupation one the title names? It was written by hand from general
knowledge of Korean job titles and of ESCO v1.1.1 (preferred labels), not from the evaluation files: no row of
../shared/data/eval-dev/ was read to make it. Each title lists every occupation that is a sensible first answer
(a family where ESCO splits the job: *welder*, *pipe welder*, *spot welder*); anything else is a miss.

``--weights`` reads a JSON object of ``TitleWeights`` fields (what ``fit_korean_weights.py --out`` writes) and
prints them next to the product's ``KOREAN_WEIGHTS`` and the hand-set weights they replaced.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["EVERYDAY_TITLES", "acceptable_uris", "sensible_top1"]

#: (Korean title, ESCO v1.1.1 preferred labels that are a sensible first occupation), by sector.
EVERYDAY_TITLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    # manufacturing and trades
    ("용접원", ("welder", "pipe welder", "spot welder", "laser beam welder")),
    ("자동차조립원", ("motor vehicle assembler", "motor vehicle parts assembler")),
    ("품질관리 엔지니어", ("quality engineer", "quality engineering technician")),
    ("생산관리자", ("manufacturing manager", "industrial production manager", "production supervisor")),
    ("CNC 선반 작업자", ("computer numerical control machine operator", "lathe and turning machine operator")),
    ("전기공", ("electrician", "building electrician", "industrial electrician", "domestic electrician")),
    ("배관공", ("plumber", "pipe welder")),
    ("목수", ("carpenter",)),
    ("지게차 운전원", ("forklift operator",)),
    ("기계정비원", ("industrial machinery mechanic", "maintenance and repair engineer")),
    ("자동차 정비사", ("vehicle technician",)),
    ("기계 설계 엔지니어", ("mechanical engineer", "design engineer")),
    ("생산기술 엔지니어", ("production engineer", "manufacturing engineer", "process engineer")),
    (
        "반도체 공정 엔지니어",
        ("process engineer", "microelectronics engineer", "microelectronics smart manufacturing engineer"),
    ),
    ("전자부품 조립원", ("electronic equipment assembler", "electrical equipment assembler")),
    ("포장원", ("hand packer", "packaging and filling machine operator")),
    ("건설 현장 근로자", ("building construction worker", "civil engineering worker")),
    ("창고 작업원", ("warehouse worker", "warehouse order picker")),
    # AI and IT
    ("소프트웨어 개발자", ("software developer", "ICT application developer")),
    ("데이터 분석가", ("data analyst", "data scientist")),
    ("데이터 과학자", ("data scientist",)),
    ("인공지능 엔지니어", ("ICT intelligent systems designer", "data scientist")),
    ("웹 개발자", ("web developer",)),
    ("모바일 앱 개발자", ("mobile application developer",)),
    ("네트워크 관리자", ("ICT network administrator", "ICT system administrator")),
    ("데이터베이스 관리자", ("database administrator",)),
    ("정보보안 담당자", ("ICT security administrator", "ICT security engineer", "ICT security technician")),
    ("게임 개발자", ("digital games developer",)),
    ("소프트웨어 테스터", ("software tester", "ICT system tester")),
    # office
    ("회계사무원", ("bookkeeper", "accounting assistant")),
    ("회계사", ("accountant",)),
    ("인사 담당자", ("human resources officer", "human resources assistant")),
    ("영업 관리자", ("sales manager",)),
    ("마케팅 관리자", ("marketing manager",)),
    ("사무 보조원", ("administrative assistant", "office clerk")),
    ("비서", ("secretary", "executive assistant")),
    (
        "고객 상담원",
        ("customer service representative", "call centre agent", "customer contact centre information clerk"),
    ),
    ("구매 담당자", ("purchaser",)),
    ("번역가", ("translator",)),
    # health and care
    ("간호사", ("specialist nurse", "nurse responsible for general care", "advanced nurse practitioner")),
    ("약사", ("pharmacist", "hospital pharmacist")),
    ("물리치료사", ("physiotherapist",)),
    ("치과위생사", ("dental hygienist",)),
    ("요양보호사", ("home care aide", "care at home worker", "healthcare assistant", "social care worker")),
    ("의사", ("general practitioner", "specialised doctor")),
    ("방사선사", ("radiographer", "diagnostic radiographer")),
    ("임상병리사", ("medical laboratory assistant", "biomedical scientist")),
    # services
    ("요리사", ("cook", "chef")),
    ("제빵사", ("baker", "pastry maker")),
    ("바리스타", ("barista",)),
    ("미용사", ("hairdresser",)),
    ("건물 청소원", ("building cleaner",)),
    ("경비원", ("security guard",)),
    ("계산원", ("cashier",)),
    ("버스 운전기사", ("bus driver",)),
    ("화물차 운전기사", ("cargo vehicle driver",)),
    ("부동산 중개인", ("real estate agent",)),
    # education and social work
    ("초등학교 교사", ("primary school teacher",)),
    ("고등학교 교사", ("secondary school teacher",)),
    ("유치원 교사", ("early years teacher",)),
    ("학원 강사", ("tutor",)),
    ("보육교사", ("child care worker", "child day care worker", "early years teacher")),
    ("사회복지사", ("social worker",)),
)


def acceptable_uris(taxonomy) -> dict[str, frozenset[str]]:
    """Per everyday title, the URIs of its acceptable occupations in ``taxonomy`` (an ESCO taxonomy). Raises
    ``KeyError`` naming every label that is no occupation's preferred label (a typo must not pass silently)."""
    by_label: dict[str, str] = {}
    for uri, occupation in taxonomy.occupations.items():
        by_label.setdefault(occupation.label_en, uri)
    missing = sorted({label for _, labels in EVERYDAY_TITLES for label in labels if label not in by_label})
    if missing:
        raise KeyError(f"not a preferred label of the taxonomy: {missing}")
    return {title: frozenset(by_label[label] for label in labels) for title, labels in EVERYDAY_TITLES}


def sensible_top1(normalizer, titles: Sequence[str] | None = None) -> list[tuple[str, str, bool]]:
    """(title, first occupation's label, whether it is acceptable) for the everyday titles (or ``titles``)."""
    accept = acceptable_uris(normalizer.taxonomy)
    titles = list(titles or accept)
    out = []
    for title, matches in zip(titles, normalizer.normalize(titles, top=1), strict=True):
        first = matches[0] if matches else None
        out.append((title, first.label if first else "", bool(first and first.uri in accept[title])))
    return out


def main(argv: Sequence[str] | None = None) -> None:
    import argparse
    import json
    import os
    from pathlib import Path

    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    from _title_fit import DATA_ROOT, KOREAN_HAND_SET

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--esco", type=Path, default=DATA_ROOT / "shared/data/esco")
    ap.add_argument("--weights", type=Path, action="append", default=[], help="JSON of TitleWeights fields")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args(argv)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)

    from talentbridge.config import build_settings
    from talentbridge.skills.encoder import EmbeddingCache, make_encoder
    from talentbridge.skills.esco_read import read_esco
    from talentbridge.skills.title_weights import KOREAN_WEIGHTS, TitleWeights
    from talentbridge.skills.titles import TitleNormalizer

    tax = read_esco([args.esco]).taxonomy
    cache = EmbeddingCache(build_settings().cache_dir / "embeddings")
    minilm, use = make_encoder("minilm"), make_encoder("use")
    columns = {"product (KOREAN_WEIGHTS)": KOREAN_WEIGHTS, "hand-set (before #14)": KOREAN_HAND_SET}
    for path in args.weights:
        values = json.loads(path.read_text(encoding="utf-8"))
        values["prior_major"] = tuple(values.get("prior_major", ()))
        columns[path.stem] = TitleWeights(**values)
    results = {}
    for name, weights in columns.items():
        normalizer = TitleNormalizer(tax, encoder=minilm, cache=cache, korean_weights=weights, second_encoder=use)
        results[name] = sensible_top1(normalizer)
    names = list(results)
    print("| title | " + " | ".join(names) + " |\n|---|" + "---|" * len(names))
    for i, (title, _) in enumerate(EVERYDAY_TITLES):
        cells = [f"{'' if results[n][i][2] else '✗ '}{results[n][i][1]}" for n in names]
        print(f"| {title} | " + " | ".join(cells) + " |")
    counts = [f"{sum(ok for *_, ok in results[n])}/{len(EVERYDAY_TITLES)}" for n in names]
    print("| sensible top-1 | " + " | ".join(counts) + " |")


if __name__ == "__main__":
    main()
