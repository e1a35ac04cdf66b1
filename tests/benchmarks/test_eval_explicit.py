"""The explicit-mention harness locates a tag where the ad writes it (synthetic texts only)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

_PATH = Path(__file__).resolve().parents[2] / "benchmarks" / "eval_explicit.py"


def _harness():
    spec = importlib.util.spec_from_file_location("eval_explicit_under_test", _PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_tag_with_spaced_punctuation_is_found_where_the_ad_writes_it_without_spaces() -> None:
    h = _harness()
    text = "Linux 기반 C/C++, Python 개발 · CI/CD 경험"
    (start, end), = h.mention_ranges(text, "C / C++")
    assert text[start:end] == "C/C++"
    (start, end), = h.mention_ranges(text, "CI / CD")
    assert text[start:end] == "CI/CD"


def test_words_still_need_a_space_and_word_boundaries() -> None:
    h = _harness()
    assert h.mention_ranges("machinelearning at scale", "machine learning") == []
    assert h.mention_ranges("we use Javascript", "Java") == []
    assert [(a, b) for a, b in h.mention_ranges("Machine   Learning and machine learning", "machine learning")] == [
        (0, 18),
        (23, 39),
    ]


def test_a_suggestion_counts_when_its_span_lies_on_the_mention_and_is_not_much_wider() -> None:
    h = _harness()
    ranges = [(10, 15)]  # a five-letter tag
    assert h.found("tag", ranges, {"labels": set(), "spans": [(10, 15)]})
    assert h.found("tag", ranges, {"labels": set(), "spans": [(8, 18)]})  # twice as wide: still on it
    assert not h.found("tag", ranges, {"labels": set(), "spans": [(0, 30)]})  # a sentence, not the tag
    assert not h.found("tag", ranges, {"labels": set(), "spans": [(20, 25)]})
    assert h.found("Docker", [], {"labels": {"docker"}, "spans": []})  # by its label
