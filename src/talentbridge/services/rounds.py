"""``RoundService``: the round workflow in one object — the three round services at once, kept for one release.

The use cases now live in services named after what they do, over ``round_workflow.RoundWorkflow`` (states,
the round lock, cap checks):

- ``round_membership.RoundMembershipService`` — programmes and rounds, openings and participants, open and close;
- ``round_submissions.RoundSubmissionService`` — ranked lists: submit, generate from fit scores, edit;
- ``round_runs.RoundRunService`` — build the instance (``programs.round_instance``), run, review, publish,
  reproduce.

New code should use them directly; this module re-exports the old public names so that callers written against
it keep working while branches merge.
"""

from __future__ import annotations

from talentbridge.programs.round_instance import CAPITAL, area_of
from talentbridge.services.round_membership import RoundMembershipService
from talentbridge.services.round_runs import RoundRunService, canonical_json, digest, run_summary
from talentbridge.services.round_scoring import skill_overlap_score
from talentbridge.services.round_submissions import RoundSubmissionService
from talentbridge.services.round_workflow import (
    ROUND_CONSTRAINTS,
    SIDES,
    SOURCES,
    PreferenceInput,
    check_caps,
)

__all__ = [
    "RoundService",
    "PreferenceInput",
    "CAPITAL",
    "ROUND_CONSTRAINTS",
    "SIDES",
    "SOURCES",
    "canonical_json",
    "check_caps",
    "digest",
    "area_of",
    "run_summary",
    "skill_overlap_score",
]


class RoundService(RoundMembershipService, RoundSubmissionService, RoundRunService):
    """Every use case of the round workflow over one session (one transaction: the caller commits)."""
