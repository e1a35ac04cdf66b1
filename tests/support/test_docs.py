"""docs/support.md is generated from the rule files; the committed page must be current."""

from __future__ import annotations

from pathlib import Path

from talentbridge.support.docs import render_markdown

ROOT = Path(__file__).resolve().parents[2]


def test_docs_support_md_matches_the_rule_files() -> None:
    committed = (ROOT / "docs" / "support.md").read_text(encoding="utf-8")
    assert committed == render_markdown(), "run `talentbridge support docs` and commit docs/support.md"


def test_every_scheme_version_and_source_is_documented() -> None:
    from talentbridge.support import load_rules

    text = render_markdown()
    for scheme in load_rules().all():
        assert f"— version {scheme.version}" in text and scheme.name_ko in text
        for source in scheme.sources:
            assert source.key in text
