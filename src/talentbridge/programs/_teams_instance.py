"""A PBL team instance, validated: the plain dict of docs/programs.md turned into :class:`Teams`.

:func:`parse_teams` collects every problem and reports them at once as
:class:`~talentbridge.domain.errors.InstanceInvalid`; nothing is solved from a malformed instance. Preference
points, penalties and the objective are integers in hundredths of a point (``SCALE``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from talentbridge.domain.errors import InstanceInvalid, Problem

__all__ = ["SCALE", "Teams", "parse_teams"]

SCALE = 100  # objective in hundredths of a point (balance uses fractional means)


@dataclass
class Teams:
    learner_ids: list[str]
    project_ids: list[str]
    team_project: list[int]  # team -> project
    team_names: list[str]
    size_min: list[int]
    size_max: list[int]
    institution: list[int]  # learner -> institution index (-1 none)
    cap_per_institution: int | None
    skills: list[dict[str, int]]
    strength: list[int]
    must_have: list[dict[str, int]]  # per project
    points: list[dict[int, int]]  # learner -> project -> points
    ranks: list[dict[int, int]]  # learner -> project -> 1-based rank
    coverage_penalty: int
    balance_penalty: int
    tolerance: float
    seed: int


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def parse_teams(instance: Any) -> Teams:
    problems: list[Problem] = []

    def bad(loc: tuple[str | int, ...], msg: str, value: Any = None, type: str = "invalid") -> None:
        problems.append(Problem(loc=loc, msg=msg, value=value, type=type))

    if not isinstance(instance, dict):
        raise InstanceInvalid("a team instance must be a JSON object", [Problem((), "must be an object")])
    learners = instance.get("learners")
    projects = instance.get("projects")
    if not isinstance(learners, list):
        bad(("learners",), "must be a list", learners)
        learners = []
    if not isinstance(projects, list):
        bad(("projects",), "must be a list", projects)
        projects = []
    size = instance.get("team_size", 5)
    if _is_int(size) and size >= 1:
        default_min = default_max = size
    elif (
        isinstance(size, dict)
        and _is_int(size.get("min"))
        and _is_int(size.get("max"))
        and 1 <= size["min"] <= size["max"]
    ):
        default_min, default_max = size["min"], size["max"]
    else:
        bad(("team_size",), 'must be a positive integer or {"min": a, "max": b} with 1 <= a <= b', size)
        default_min = default_max = 1
    cap = instance.get("max_per_institution")
    if cap is not None and (not _is_int(cap) or cap < 1):
        bad(("max_per_institution",), "must be a positive integer or null", cap)
        cap = None
    options = {}
    for key, default, check in (
        ("coverage_penalty", 10, lambda v: isinstance(v, int | float) and not isinstance(v, bool) and v >= 0),
        ("balance_penalty", 1, lambda v: isinstance(v, int | float) and not isinstance(v, bool) and v >= 0),
        (
            "balance_tolerance",
            0.2,
            lambda v: isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 1,
        ),
        ("seed", 0, lambda v: _is_int(v) and v >= 0),
    ):
        value = instance.get(key, default)
        if not check(value):
            bad((key,), "invalid value", value)
            value = default
        options[key] = value

    p_index: dict[str, int] = {}
    must_have: list[dict[str, int]] = []
    team_project: list[int] = []
    team_names: list[str] = []
    size_min: list[int] = []
    size_max: list[int] = []
    for j, proj in enumerate(projects):
        if not isinstance(proj, dict) or not isinstance(proj.get("id"), str) or not proj.get("id"):
            bad(
                ("projects", j, "id"),
                "must be a non-empty string",
                proj.get("id") if isinstance(proj, dict) else proj,
            )
            must_have.append({})
            continue
        pid = proj["id"]
        if pid in p_index:
            bad(("projects", j, "id"), "duplicate id", pid, "duplicate")
        p_index[pid] = j
        req = proj.get("must_have", {})
        if not isinstance(req, dict) or not all(
            isinstance(k, str) and _is_int(v) and v >= 1 for k, v in req.items()
        ):
            bad(("projects", j, "must_have"), "must map skill ids to required levels (integers >= 1)", req)
            req = {}
        must_have.append(dict(req))
        count = proj.get("teams", 1)
        if not _is_int(count) or count < 1:
            bad(("projects", j, "teams"), "must be a positive integer", count)
            count = 1
        for k in range(count):
            team_project.append(j)
            team_names.append(pid if count == 1 else f"{pid}#{k + 1}")
            size_min.append(default_min)
            size_max.append(default_max)

    l_index: dict[str, int] = {}
    inst_index: dict[str, int] = {}
    institution: list[int] = []
    skills: list[dict[str, int]] = []
    strength: list[int] = []
    prefs: list[list[int]] = []
    for i, learner in enumerate(learners):
        if not isinstance(learner, dict) or not isinstance(learner.get("id"), str) or not learner.get("id"):
            bad(
                ("learners", i, "id"),
                "must be a non-empty string",
                learner.get("id") if isinstance(learner, dict) else learner,
            )
            learner = {"id": f"#{i}"} if not isinstance(learner, dict) else learner
        lid = learner.get("id")
        if lid in l_index:
            bad(("learners", i, "id"), "duplicate id", lid, "duplicate")
        l_index[str(lid)] = i
        inst = learner.get("institution")
        if inst is not None and not isinstance(inst, str):
            bad(("learners", i, "institution"), "must be a string", inst)
            inst = None
        institution.append(-1 if inst is None else inst_index.setdefault(inst, len(inst_index)))
        sk = learner.get("skills", {})
        if not isinstance(sk, dict) or not all(
            isinstance(k, str) and _is_int(v) and v >= 0 for k, v in sk.items()
        ):
            bad(("learners", i, "skills"), "must map skill ids to levels (integers >= 0)", sk)
            sk = {}
        skills.append(dict(sk))
        st = learner.get("strength")
        if st is not None and (not _is_int(st) or st < 0):
            bad(("learners", i, "strength"), "must be a non-negative integer", st)
            st = None
        strength.append(sum(sk.values()) if st is None else st)
        plist = learner.get("preferences", [])
        if not isinstance(plist, list):
            bad(("learners", i, "preferences"), "must be a list of project ids", plist)
            plist = []
        seen: set[str] = set()
        mine = []
        for k, pid in enumerate(plist):
            if not isinstance(pid, str) or pid not in p_index:
                bad(("learners", i, "preferences", k), "unknown project id", pid, "unknown_id")
            elif pid in seen:
                bad(("learners", i, "preferences", k), "project listed twice", pid, "duplicate")
            else:
                seen.add(pid)
                mine.append(p_index[pid])
        prefs.append(mine)

    n, n_teams = len(learners), len(team_project)
    if n and not problems:
        if sum(size_min) > n or sum(size_max) < n:
            bad(
                ("team_size",),
                f"{n} learners cannot fill {n_teams} teams of {default_min}-{default_max} members",
                size,
            )
        if cap is not None:
            counts = np.bincount([x for x in institution if x >= 0], minlength=len(inst_index))
            names = list(inst_index)
            for k in np.flatnonzero(counts > cap * n_teams).tolist():
                bad(
                    ("max_per_institution",),
                    f"institution {names[k]!r} has {counts[k]} learners, more than {cap} x {n_teams} teams",
                    cap,
                )
    if problems:
        raise InstanceInvalid(
            f"team instance has {len(problems)} problem{'s' if len(problems) != 1 else ''}", problems
        )

    longest = max((len(p) for p in prefs), default=0)
    return Teams(
        learner_ids=[x["id"] for x in learners],
        project_ids=[x["id"] for x in projects],
        team_project=team_project,
        team_names=team_names,
        size_min=size_min,
        size_max=size_max,
        institution=institution,
        cap_per_institution=cap,
        skills=skills,
        strength=strength,
        must_have=must_have,
        points=[{p: longest - k for k, p in enumerate(pl)} for pl in prefs],
        ranks=[{p: k + 1 for k, p in enumerate(pl)} for pl in prefs],
        coverage_penalty=round(options["coverage_penalty"] * SCALE),
        balance_penalty=round(options["balance_penalty"] * SCALE),
        tolerance=float(options["balance_tolerance"]),
        seed=int(options["seed"]),
    )
