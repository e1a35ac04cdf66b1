"""Everyday Korean job titles get a sensible ESCO occupation first (issue #14's occupation-level check).

The titles and their acceptable occupations are the hand-written list of ``benchmarks/korean_everyday_titles.py``
(general knowledge, not evaluation data). The major-group metric cannot see a wrong occupation of the right group
(간호사 → *tutor*); this test can: weights fitted on that metric alone fail it. It runs the product's normalizer
(MiniLM, USE as the second opinion when installed, the product's ``KOREAN_WEIGHTS``) over all of ESCO v1.1.1, with
the label embeddings in the tests' shared cache (``TALENTBRIDGE_MODEL_CACHE_DIR``, set by tests/conftest.py):
several minutes on the first run of a checkout, a few seconds afterwards.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# ../shared/data seen from the repository, or from a worktree a level deeper
_SHARED = next((p / "shared" for p in ROOT.parents if (p / "shared" / "data").is_dir()), ROOT.parent / "shared")
ESCO_DIR = Path(os.environ.get("TALENTBRIDGE_ESCO_DIR") or _SHARED / "data" / "esco")
CLASSIFICATION = ESCO_DIR / "esco_v1.1.1_classification_en_csv.zip"
RELATIONS = ESCO_DIR / "esco_v1.1.1_relations_csv.zip"

pytestmark = pytest.mark.slow

#: The titles of the list the product's weights miss (54 of 63 right; docs/skills.md, "Korean weights on held-out
#: halves"): every other title must keep a sensible first occupation. The earlier hand-set weights got 49 right,
#: the rejected unconstrained fit 19.
KNOWN_MISSES = frozenset(
    [
        "전기공",  # electrical mechanic
        "기계정비원",  # welder
        "창고 작업원",  # leather production machine operator
        "네트워크 관리자",  # telecommunications manager
        "소프트웨어 테스터",  # ICT application configurator
        "회계사무원",  # payroll clerk
        "사무 보조원",  # management assistant
        "임상병리사",  # bacteriology technician
        "학원 강사",  # music teacher
    ]
)


def _everyday():
    spec = importlib.util.spec_from_file_location(
        "korean_everyday_titles", ROOT / "benchmarks/korean_everyday_titles.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def results() -> dict[str, tuple[str, bool]]:
    from talentbridge.config import build_settings
    from talentbridge.services.skill_extraction import title_second_encoder
    from talentbridge.skills.encoder import EmbeddingCache, available_encoders, make_encoder
    from talentbridge.skills.esco_read import read_esco
    from talentbridge.skills.titles import TitleNormalizer

    if not (CLASSIFICATION.is_file() and RELATIONS.is_file()):
        if os.environ.get("TALENTBRIDGE_REQUIRE_ESCO") == "1":
            pytest.fail(f"the ESCO v1.1.1 CSV zips are not in {ESCO_DIR} (set TALENTBRIDGE_ESCO_DIR)")
        pytest.skip(f"the ESCO v1.1.1 CSV zips are not in {ESCO_DIR} (set TALENTBRIDGE_ESCO_DIR)")
    if "minilm" not in available_encoders():
        pytest.skip("the MiniLM model is not installed")
    taxonomy = read_esco([CLASSIFICATION, RELATIONS]).taxonomy
    encoder = make_encoder("minilm")
    cache = EmbeddingCache(build_settings().cache_dir / "embeddings")
    normalizer = TitleNormalizer(taxonomy, encoder=encoder, cache=cache, second_encoder=title_second_encoder(encoder))
    return {title: (label, ok) for title, label, ok in _everyday().sensible_top1(normalizer)}


def test_the_list_is_consistent() -> None:
    titles = [title for title, _ in _everyday().EVERYDAY_TITLES]
    assert len(titles) == len(set(titles)) >= 40
    assert set(titles) >= KNOWN_MISSES


@pytest.mark.parametrize("title", [t for t, _ in _everyday().EVERYDAY_TITLES if t not in KNOWN_MISSES])
def test_everyday_title_gets_a_sensible_occupation_first(results, title: str) -> None:
    label, ok = results[title]
    assert ok, f"{title} -> {label}"
