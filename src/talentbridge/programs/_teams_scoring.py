"""The objective of :mod:`talentbridge.programs.teams`, team by team, in hundredths of a point (``SCALE``).

:class:`TeamState` is a complete assignment that keeps each team's score, so a swap of two learners is scored
from the two teams it changes. A team scores its members' preference points, minus the coverage penalty per
coverable must-have no member has (a must-have nobody in the cohort has is not penalised, only reported), minus
the balance penalty per strength point outside the band; each member over the institution cap costs 10^9, so an
assignment that breaks the cap scores below -10^8.
"""

from __future__ import annotations

import math

from talentbridge.programs._teams_instance import SCALE, Teams

__all__ = ["TeamState"]


class TeamState:
    """A complete assignment with incremental team scores (hundredths of a point)."""

    def __init__(self, x: Teams, team_of: list[int]) -> None:
        self.x = x
        self.team_of = team_of
        self.members: list[list[int]] = [[] for _ in x.team_project]
        for learner, team in enumerate(team_of):
            self.members[team].append(learner)
        n = len(team_of)
        self.mean = sum(x.strength) / n if n else 0.0
        # a must-have nobody in the cohort has cannot be covered: not penalised, reported
        self.coverable = [
            {s: lvl for s, lvl in req.items() if any(sk.get(s, 0) >= lvl for sk in x.skills)}
            for req in x.must_have
        ]
        self.scores = [self.team_score(t, self.members[t]) for t in range(len(self.members))]

    def team_penalty(self, t: int, members: list[int]) -> int:
        x = self.x
        req = self.coverable[x.team_project[t]]
        uncovered = sum(1 for s, lvl in req.items() if not any(x.skills[m].get(s, 0) >= lvl for m in members))
        total = sum(x.strength[m] for m in members)
        lo = self.mean * len(members) * (1 - x.tolerance)
        hi = self.mean * len(members) * (1 + x.tolerance)
        outside = max(0.0, lo - total, total - hi)
        excess = 0
        if x.cap_per_institution is not None:
            counts: dict[int, int] = {}
            for m in members:
                if x.institution[m] >= 0:
                    counts[x.institution[m]] = counts.get(x.institution[m], 0) + 1
            excess = sum(max(0, c - x.cap_per_institution) for c in counts.values())
        return uncovered * x.coverage_penalty + math.ceil(outside * x.balance_penalty - 1e-9) + excess * 10**9

    def team_score(self, t: int, members: list[int]) -> int:
        p = self.x.team_project[t]
        return sum(self.x.points[m].get(p, 0) for m in members) * SCALE - self.team_penalty(t, members)

    def total(self) -> int:
        return sum(self.scores)

    def swap_gain(self, a: int, b: int) -> tuple[int, list[int], list[int], int, int]:
        ta, tb = self.team_of[a], self.team_of[b]
        ma = [b if m == a else m for m in self.members[ta]]
        mb = [a if m == b else m for m in self.members[tb]]
        sa, sb = self.team_score(ta, ma), self.team_score(tb, mb)
        return sa + sb - self.scores[ta] - self.scores[tb], ma, mb, sa, sb

    def apply(self, a: int, b: int, ma: list[int], mb: list[int], sa: int, sb: int) -> None:
        ta, tb = self.team_of[a], self.team_of[b]
        self.members[ta], self.members[tb] = ma, mb
        self.scores[ta], self.scores[tb] = sa, sb
        self.team_of[a], self.team_of[b] = tb, ta
