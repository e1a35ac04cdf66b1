"""``talentbridge taxonomy add-alias`` / ``aliases`` / ``remove-alias``: stored, listed, applied to the loaded taxonomy, kept by a
built-in reload; bad input is one red line and exit code 1."""

from __future__ import annotations

import pytest
from tests.cli.cli_runner import run_cli as _run

from talentbridge.storage import Database


def test_add_alias_is_stored_listed_and_applied(cli_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    from talentbridge.services.taxonomy import clear_cache, ensure_builtin_taxonomy, load_taxonomy
    from talentbridge.skills.extract import SkillExtractor

    assert _run(["taxonomy", "add-alias", "docker", "독커"]) == 0
    assert "독커" in capsys.readouterr().out
    assert _run(["taxonomy", "aliases", "--skill", "docker"]) == 0
    assert "독커" in capsys.readouterr().out
    with cli_db.session() as session:
        taxonomy = load_taxonomy(session)
    assert "독커" in taxonomy.skills["docker"].alt_ko
    text = "배포는 독커로 합니다"
    hits = [s for s in SkillExtractor(taxonomy).extract(text) if s.via == "explicit"]
    assert any(text[a:b] == "독커" for s in hits for a, b in s.spans)
    # a reload of the built-in taxonomy rewrites the taxonomy tables and keeps the alias
    with cli_db.session() as session:
        from talentbridge.services.taxonomy import BUILTIN_HASH_KEY
        from talentbridge.storage.taxonomy_repository import TaxonomyRepository

        TaxonomyRepository(session).set_meta(BUILTIN_HASH_KEY, "stale")
        assert ensure_builtin_taxonomy(session)
    clear_cache()
    with cli_db.session() as session:
        assert "독커" in load_taxonomy(session).skills["docker"].alt_ko


def test_remove_alias_takes_it_out_of_the_loaded_taxonomy(
    cli_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    from talentbridge.services.audit_log import list_entries
    from talentbridge.services.taxonomy import clear_cache, load_taxonomy

    assert _run(["taxonomy", "add-alias", "kubernetes", "쿠버네티즈"]) == 0
    capsys.readouterr()
    assert _run(["taxonomy", "aliases"]) == 0
    listed = capsys.readouterr().out
    alias_id = next(line.split("│")[1].strip() for line in listed.splitlines() if "쿠버네티즈" in line)
    assert _run(["taxonomy", "remove-alias", alias_id]) == 0
    assert "쿠버네티즈" in capsys.readouterr().out
    clear_cache()
    with cli_db.session() as session:
        assert "쿠버네티즈" not in load_taxonomy(session).skills["kubernetes"].alt_ko
        entries, _ = list_entries(session, entity="skill")
    assert {e["action"] for e in entries} >= {"add_alias", "remove_alias"}
    assert _run(["taxonomy", "remove-alias", alias_id]) == 1  # gone: a red line, not a traceback
    assert alias_id in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["taxonomy", "add-alias", "no-such-skill", "abc"], "no-such-skill"),
        (["taxonomy", "add-alias", "docker", "Docker"], "already a label"),
        (["taxonomy", "add-alias", "docker", "도커 엔진", "--lang", "jp"], "en or ko"),
    ],
)
def test_bad_alias_is_one_red_line(
    cli_db: Database, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert _run(argv) == 1
    assert message in capsys.readouterr().err


def test_db_upgrade_says_when_an_update_replaced_the_builtin_taxonomy(
    cli_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    from talentbridge.services.taxonomy import BUILTIN_HASH_KEY
    from talentbridge.storage.taxonomy_repository import TaxonomyRepository

    capsys.readouterr()
    assert _run(["db", "upgrade", "--no-encode-labels"]) == 0
    assert "infer-skills --refresh" not in capsys.readouterr().out  # nothing changed: nothing to say
    with cli_db.session() as session:
        TaxonomyRepository(session).set_meta(BUILTIN_HASH_KEY, "stale")  # as after a package upgrade
    assert _run(["db", "upgrade", "--no-encode-labels"]) == 0
    out = capsys.readouterr().out
    assert "taxonomy was updated" in out and "talentbridge recommend infer-skills --refresh" in " ".join(out.split())
