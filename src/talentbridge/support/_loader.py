"""Loading rule files: one TOML file per scheme version in ``support/rules/`` (or a folder given), validated at
load with every problem of every file listed at once."""

from __future__ import annotations

import tomllib
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from talentbridge.domain.errors import Problem, RulesInvalid
from talentbridge.support._model import Scheme

__all__ = ["RuleBook", "load_rules", "rules_dir"]


def rules_dir() -> Path:
    """The rule files that ship with TalentBridge."""
    return Path(str(resources.files("talentbridge.support") / "rules"))


class RuleBook:
    """Every version of every scheme, with the version in force on a date."""

    def __init__(self, schemes: Iterable[Scheme]) -> None:
        self.versions: dict[str, list[Scheme]] = defaultdict(list)
        for scheme in schemes:
            self.versions[scheme.id].append(scheme)
        for versions in self.versions.values():
            versions.sort(key=lambda s: s.effective_from)

    def __len__(self) -> int:
        return sum(len(v) for v in self.versions.values())

    def all(self) -> list[Scheme]:
        return [s for sid in sorted(self.versions) for s in self.versions[sid]]

    def ids(self, kind: str | None = None) -> list[str]:
        return sorted(sid for sid, v in self.versions.items() if kind is None or v[0].kind == kind)

    def in_force(self, scheme_id: str, on: date) -> Scheme | None:
        """The version of ``scheme_id`` in force on ``on``, or None (not yet, or ended)."""
        for scheme in self.versions.get(scheme_id, []):
            if scheme.in_force(on):
                return scheme
        return None

    def latest_before(self, scheme_id: str, on: date) -> Scheme | None:
        """The newest version that started on or before ``on`` (to say a scheme has ended)."""
        started = [s for s in self.versions.get(scheme_id, []) if s.effective_from <= on]
        return started[-1] if started else None


def _problems_of(path: Path, exc: ValidationError) -> list[Problem]:
    return [
        Problem(loc=(path.name, *err["loc"]), msg=err["msg"], value=None, type=err["type"])
        for err in exc.errors(include_url=False)
    ]


def load_rules(folder: Path | None = None) -> RuleBook:
    """Load and validate every ``*.toml`` in ``folder`` (default: the shipped rules).

    Raises ``RulesInvalid`` listing every problem: TOML syntax, unknown or missing fields, bad operators or values,
    and two versions of one scheme in force on the same day.
    """
    folder = folder or rules_dir()
    problems: list[Problem] = []
    schemes: list[Scheme] = []
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise RulesInvalid(f"no rule files in {folder}")
    for path in files:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            problems.append(Problem(loc=(path.name,), msg=f"not valid TOML: {exc}", type="toml"))
            continue
        try:
            schemes.append(Scheme.model_validate(data))
        except ValidationError as exc:
            problems.extend(_problems_of(path, exc))
    keys: dict[str, str] = {}
    for scheme in schemes:
        if scheme.key in keys:
            problems.append(Problem(loc=(scheme.key,), msg="the same id and version in two files", type="duplicate"))
        keys[scheme.key] = scheme.key
    by_id: dict[str, list[Scheme]] = defaultdict(list)
    for scheme in schemes:
        by_id[scheme.id].append(scheme)
    for sid, versions in by_id.items():
        versions.sort(key=lambda s: s.effective_from)
        kinds = {v.kind for v in versions}
        if len(kinds) > 1:
            problems.append(Problem(loc=(sid,), msg=f"versions disagree on the kind: {sorted(kinds)}", type="kind"))
        for a, b in zip(versions, versions[1:], strict=False):
            if a.effective_to is None or a.effective_to >= b.effective_from:
                problems.append(
                    Problem(
                        loc=(sid,),
                        msg=f"versions {a.version} and {b.version} are both in force on {b.effective_from}",
                        type="overlap",
                    )
                )
    if problems:
        raise RulesInvalid(f"{len(problems)} problem(s) in the rule files of {folder}", problems)
    return RuleBook(schemes)
