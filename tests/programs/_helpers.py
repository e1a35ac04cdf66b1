"""Random instances and an independent checker for matching results, written from the definitions only
(no code shared with talentbridge.programs)."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import strategies as st


@st.composite
def instances(
    draw: Any,
    max_applicants: int = 12,
    max_programs: int = 5,
    *,
    ties: bool = False,
    regions: bool = False,
    secondment: bool = False,
    scores: bool = False,
    complete: bool = False,
    min_applicants: int = 0,
    max_capacity: int = 3,
) -> dict[str, Any]:
    n = draw(st.integers(min_applicants, max_applicants))
    m = draw(st.integers(1, max_programs))
    a_ids = [f"a{i}" for i in range(n)]
    p_ids = [f"p{j}" for j in range(m)]
    region_ids = ["capital", "south", "east"]
    applicants = []
    for aid in a_ids:
        perm = draw(st.permutations(p_ids))
        k = m if complete else draw(st.integers(0, m))
        app: dict[str, Any] = {"id": aid, "preferences": list(perm[:k])}
        if secondment:
            app["employer"] = draw(st.sampled_from(["org0", "org1", "org2", "org3"]))
            if draw(st.booleans()):
                app["affiliates"] = [draw(st.sampled_from(["org0", "org1", "org2", "org3"]))]
            if draw(st.booleans()):
                app["competitors"] = [draw(st.sampled_from(["org0", "org1", "org2", "org3"]))]
            app["available_months"] = draw(st.integers(1, 12))
        applicants.append(app)
    programs = []
    for pid in p_ids:
        perm = draw(st.permutations(a_ids))
        k = n if complete else draw(st.integers(0, n))
        ranked: list[Any] = list(perm[:k])
        if ties and ranked:
            grouped: list[Any] = []
            i = 0
            while i < len(ranked):
                size = draw(st.integers(1, 3))
                chunk = ranked[i : i + size]
                grouped.append(chunk if len(chunk) > 1 else chunk[0])
                i += size
            ranked = grouped
        prog: dict[str, Any] = {
            "id": pid,
            "capacity": draw(st.integers(0, max_capacity)),
            "preferences": ranked,
        }
        if regions:
            prog["region"] = draw(st.sampled_from(region_ids))
        if secondment:
            prog["organization"] = draw(st.sampled_from(["org0", "org1", "org2", "org3", "org4"]))
            prog["term_months"] = draw(st.integers(1, 12))
            if draw(st.booleans()):
                prog["competitors"] = [draw(st.sampled_from(["org0", "org1", "org2", "org3"]))]
        if scores:
            prog["scores"] = {a: draw(st.integers(0, 100)) for a in perm[:k] if draw(st.booleans())}
        programs.append(prog)
    inst: dict[str, Any] = {
        "applicants": applicants,
        "programs": programs,
        "seed": draw(st.integers(0, 2**31)),
    }
    if regions:
        inst["regions"] = [
            {"id": r, "cap": draw(st.one_of(st.none(), st.integers(0, max(1, n // 2))))} for r in region_ids
        ]
    return inst


class Market:
    """Acceptability and strict preferences read straight from an instance dict (and a result's lottery)."""

    def __init__(self, instance: dict[str, Any], lottery: list[str] | None = None) -> None:
        self.instance = instance
        pos = {a: i for i, a in enumerate(lottery or [])}
        self.capacity = {p["id"]: p["capacity"] for p in instance["programs"]}
        self.region = {p["id"]: p.get("region") for p in instance["programs"]}
        self.cap = {r["id"]: r.get("cap") for r in instance.get("regions", [])}
        self.score = {
            (a, p["id"]): float(s) for p in instance["programs"] for a, s in p.get("scores", {}).items()
        }
        self.prog_rank: dict[str, dict[str, tuple[int, int]]] = {}
        for p in instance["programs"]:
            ranks = {}
            for tier, entry in enumerate(p["preferences"]):
                for a in entry if isinstance(entry, list) else [entry]:
                    ranks[a] = (tier, pos.get(a, 0))
            self.prog_rank[p["id"]] = ranks
        progs = {p["id"]: p for p in instance["programs"]}
        self.app_list: dict[str, list[str]] = {}
        for a in instance["applicants"]:
            self.app_list[a["id"]] = [p for p in a["preferences"] if self._allowed(a, progs[p])]

    def _allowed(self, a: dict[str, Any], p: dict[str, Any]) -> bool:
        if a["id"] not in self.prog_rank[p["id"]]:
            return False
        org = p.get("organization")
        if org is not None and (org == a.get("employer") or org in a.get("affiliates", [])):
            return False
        if p.get("group") is not None and p.get("group") == a.get("group"):
            return False
        if org is not None and org in a.get("competitors", []):
            return False
        if a.get("employer") is not None and a.get("employer") in p.get("competitors", []):
            return False
        months = a.get("available_months")
        return not (p.get("term_months") is not None and months is not None and p["term_months"] > months)

    def app_rank(self, a: str, p: str | None) -> float:
        lst = self.app_list[a]
        return lst.index(p) if p is not None else float("inf")

    def check_feasible(self, assignments: dict[str, str | None], caps: bool) -> None:
        load: dict[str, int] = {}
        for a, p in assignments.items():
            if p is not None:
                assert p in self.app_list[a], f"{a} placed in unacceptable {p}"
                load[p] = load.get(p, 0) + 1
        for p, k in load.items():
            assert k <= self.capacity[p], f"{p} over capacity"
        if caps:
            for r, cap in self.cap.items():
                placed = sum(k for p, k in load.items() if self.region[p] == r)
                assert cap is None or placed <= cap, f"region {r} over cap"

    def blocking_pairs(
        self, assignments: dict[str, str | None], caps: bool = False, targets: dict[str, int] | None = None
    ) -> list[tuple[str, str]]:
        """Pairs that prefer each other. With ``caps`` (Kamada-Kojima stability), a pair whose program has an
        empty seat (and holds nobody it likes less) is excused when its region is at its cap and no program of
        the region exceeds its target by more than this program's excess + 1."""
        members: dict[str, list[str]] = {p: [] for p in self.capacity}
        for a, p in assignments.items():
            if p is not None:
                members[p].append(a)
        region_load: dict[Any, int] = {}
        for p, ms in members.items():
            region_load[self.region[p]] = region_load.get(self.region[p], 0) + len(ms)
        out = []
        for a, lst in self.app_list.items():
            current = assignments.get(a)
            for p in lst:
                if p == current:
                    break
                ranks = self.prog_rank[p]
                envy = any(ranks[a] < ranks[b] for b in members[p])
                free = len(members[p]) < self.capacity[p]
                if not (envy or free):
                    continue
                if caps and not envy:
                    r = self.region[p]
                    cap = self.cap.get(r) if r is not None else None
                    if cap is not None and region_load[r] >= cap:
                        tg = targets or {}
                        excess = {q: len(members[q]) - tg.get(q, 0) for q in members if self.region[q] == r}
                        if max(excess.values()) <= excess[p] + 1:
                            continue
                out.append((a, p))
        return out

    def all_matchings(self):  # type: ignore[no-untyped-def]
        """Every capacity-feasible matching of acceptable pairs (tiny instances only)."""
        apps = list(self.app_list)
        for choice in itertools.product(*[[None, *self.app_list[a]] for a in apps]):
            load: dict[str, int] = {}
            ok = True
            for p in choice:
                if p is not None:
                    load[p] = load.get(p, 0) + 1
                    if load[p] > self.capacity[p]:
                        ok = False
                        break
            if ok:
                yield dict(zip(apps, choice, strict=True))


@st.composite
def large_instances(
    draw: Any,
    min_applicants: int = 100,
    max_applicants: int = 400,
    max_programs: int = 40,
    *,
    regions: bool = False,
    max_capacity: int = 10,
    list_length: int = 8,
) -> dict[str, Any]:
    """Hundreds of participants: hypothesis draws the sizes and a seed, a seeded RNG draws the lists (drawing
    every list element through hypothesis would exceed its entropy budget at this size)."""
    import random

    n = draw(st.integers(min_applicants, max_applicants))
    m = draw(st.integers(2, max_programs))
    rnd = random.Random(draw(st.integers(0, 2**32)))
    p_ids = [f"p{j}" for j in range(m)]
    a_ids = [f"a{i}" for i in range(n)]
    applicants = [
        {"id": a, "preferences": rnd.sample(p_ids, rnd.randint(0, min(m, list_length)))} for a in a_ids
    ]
    programs = []
    for pid in p_ids:
        applied = [a["id"] for a in applicants if pid in a["preferences"]]
        ranked = rnd.sample(applied, int(len(applied) * rnd.uniform(0.6, 1.0)))
        prog: dict[str, Any] = {"id": pid, "capacity": rnd.randint(0, max_capacity), "preferences": ranked}
        if regions:
            prog["region"] = rnd.choice(["capital", "south", "east"])
        programs.append(prog)
    inst: dict[str, Any] = {"applicants": applicants, "programs": programs, "seed": rnd.randint(0, 1000)}
    if regions:
        inst["regions"] = [
            {"id": r, "cap": rnd.choice([None, rnd.randint(0, n // 3)])} for r in ("capital", "south", "east")
        ]
    return inst
