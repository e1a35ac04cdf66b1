#!/usr/bin/env python3
"""List the message ids the web pages translate and check the catalogs cover them.

    python scripts/extract_messages.py            # print ids missing from ko.json / en.json; exit 1 if any
    python scripts/extract_messages.py --write    # add missing ids to en.json (identity) and print them
    python scripts/extract_messages.py --write --into rounds   # ... to en/rounds.json instead

Catalogs are ``locales/<lang>.json`` plus the feature files ``locales/<lang>/*.json``, merged as the app does.

Message ids come from two places:

* literal ``_("...")`` / ``_('...')`` calls in ``web/templates/**`` and ``web/pages/*.py``;
* coded values that templates show through ``_(value)`` (roles, enums, skill-extraction ``via`` values, round
  diagnostics, criteria, error titles), listed in ``dynamic_messages()``.

Korean is written by people: ``--write`` never invents a Korean text, it only reports what is missing.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "src" / "talentbridge" / "web"
LOCALES = WEB / "locales"

#: ``_("...")`` or ``_('...')`` with the usual backslash escapes; the id is the first argument.
CALL = re.compile(r"""(?<![\w.])_\(\s*(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)')""")


def _unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\'", "'").replace("\\\\", "\\")


def literal_messages() -> dict[str, set[str]]:
    """Message id -> files using it (relative paths), from templates and page modules."""
    found: dict[str, set[str]] = {}
    files = sorted((WEB / "templates").rglob("*.html")) + sorted((WEB / "pages").glob("*.py"))
    for path in files:
        for m in CALL.finditer(path.read_text(encoding="utf-8")):
            text = _unescape(m.group(1) if m.group(1) is not None else m.group(2))
            found.setdefault(text, set()).add(str(path.relative_to(ROOT)))
    return found


def dynamic_messages() -> set[str]:
    """Coded values shown through ``_(value)`` in templates and pages."""
    from talentbridge.domain import enums, errors
    from talentbridge.matching.weights import CRITERIA
    from talentbridge.services.accounts import Role

    values: set[str] = {r.value for r in Role} | {"anonymous"}
    for enum in (
        enums.OpeningKind,
        enums.OpeningStatus,
        enums.ApplicationStatus,
        enums.EmploymentType,
        enums.TalentCategory,
        enums.RoundStatus,
        enums.ProgramKind,
        enums.ProgramStatus,
        enums.OrganizationKind,
        enums.SkillSource,
        enums.Importance,
        enums.PlacementStatus,
    ):
        values |= {member.value for member in enum}
    values |= {
        "alias",
        "explicit",
        "semantic",
        "occupation",
    }  # how a skill was found (skills.extract, pages.organization)
    # why a talent is unmatched after a round (programs.diagnostics.unmatched_reasons)
    values |= {"empty_list", "no_acceptable_choice", "regional_cap", "not_selected", "capacity", "unknown"}
    values |= {
        "submitted",
        "generated",
        "edited",
    }  # where a round ranking came from (services.rounds.SOURCES)
    values |= {"narrower", "broader", "related", "sibling"}  # taxonomy relations in explanations
    values |= set(CRITERIA)  # fit-score criteria
    values |= {"capital", "remote"}  # regional cap key; openings without a region in the dashboard
    values |= {"view", "round"}  # audit log actions and entities
    values |= {"da", "flexible-da", "max-welfare"}  # round mechanisms
    # support pages (web/pages/support_ui.py, templates/support/*): who a benefit goes to, fact choices, offer
    # comparison fields, scenarios, flags and assumptions
    from talentbridge.support import FACTS
    from talentbridge.support._facts import FACT_MESSAGES
    from talentbridge.web.pages.support_ui import OFFER_FIELDS

    values |= {"employer", "employee", "person", "bear", "base", "bull"}
    values |= {c for f in FACTS.values() for c in f.choices}
    values |= {name for name, _path, _default in OFFER_FIELDS}
    values |= {"holding_period_not_met", "under_water", "exemption_limit_reached", "not_a_venture", "exemption_not_in_force"}
    values |= {"salary_tax_rate", "option_tax_rate", "startup_raise_pct", "large_raise_pct", "large_bonus_pct", "exercise", "vesting"}
    values |= {"high_school", "associate", "bachelor", "master", "doctorate"}
    values |= set(FACT_MESSAGES) | {"some facts are not understood"}
    for obj in vars(errors).values():
        if isinstance(obj, type) and issubclass(obj, errors.TalentBridgeError):
            values.add(obj.title)
    return values


#: Exceptions whose first argument is a message a person may read on an error page.
ERROR_CLASSES = {
    "TalentBridgeError", "ValidationFailed", "ImportRejected", "InvalidState", "Conflict", "PermissionDenied",
    "NotAuthenticated", "InputTooLarge", "CsrfRefused",
}


def service_messages() -> dict[str, set[str]]:
    """Literal messages of errors raised outside the adapters (``InvalidState("...")``, ``Problem(loc, "...")``,
    the template of ``Msg("... {value} ...", value=...)``): error pages show them translated, so each must be in the
    catalogs. An f-string message cannot be translated: pages show it marked as English (use ``Msg``)."""
    import ast

    found: dict[str, set[str]] = {}
    source = ROOT / "src" / "talentbridge"
    for path in sorted(source.rglob("*.py")):
        if {"web", "cli"} & set(path.relative_to(source).parts[:1]):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            args: list[ast.expr] = []
            if (name in ERROR_CLASSES or name == "Msg") and node.args:
                args.append(node.args[0])
            elif name == "Problem":
                args += node.args[1:2] + [k.value for k in node.keywords if k.arg == "msg"]
            for arg in args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value:
                    found.setdefault(arg.value, set()).add(str(path.relative_to(ROOT)))
    return found


def all_messages() -> set[str]:
    return set(literal_messages()) | dynamic_messages() | set(service_messages())


def load(lang: str) -> dict[str, str]:
    """The merged catalog of ``lang``: the base file, then each feature file in name order."""
    messages: dict[str, str] = json.loads((LOCALES / f"{lang}.json").read_text(encoding="utf-8"))
    for part in sorted((LOCALES / lang).glob("*.json")):
        messages.update(json.loads(part.read_text(encoding="utf-8")))
    return messages


def missing(lang: str) -> list[str]:
    catalog = load(lang)
    return sorted(m for m in all_messages() if not catalog.get(m))


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT / "src"))
    if "--write" in argv:
        target = LOCALES / "en.json"
        if "--into" in argv:
            target = LOCALES / "en" / f"{argv[argv.index('--into') + 1]}.json"
        known = load("en")
        own: dict[str, str] = json.loads(target.read_text(encoding="utf-8")) if target.exists() else {}
        for m in sorted(all_messages()):
            if m not in known:
                own.setdefault(m, m)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(own, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    bad = 0
    for lang in ("ko", "en"):
        gaps = missing(lang)
        bad += len(gaps)
        for m in gaps:
            print(f"{lang}.json: missing {m!r}")
    print(f"{len(all_messages())} message ids; {bad} missing", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
