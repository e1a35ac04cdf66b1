"""Upskilling: learning paths over a course catalogue with prerequisites (pure: no web, SQL or CLI code).

plan({"courses": [...], "profile": [...], "target": [...], "objective": "courses"}) -> {"path": [...], ...}
"""

from talentbridge.upskilling.planner import greedy_plan, plan

__all__ = ["plan", "greedy_plan"]
