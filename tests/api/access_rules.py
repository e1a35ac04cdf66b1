"""Access rules of the capability routers and pages, for tests/api/test_access.py. One entry per route:
(method, path template) -> (allowed roles | "public", concrete path, body). Bodies are JSON; for pages "allowed"
means the policy let the request through (a form route then answers 422 to a JSON body, which is fine)."""

from __future__ import annotations

from typing import Any

SIGNED_IN = frozenset({"talent", "org_member", "other_org_member", "auditor", "operator"})
OPERATOR = frozenset({"operator"})
READERS = frozenset({"auditor", "operator"})
TALENT = frozenset({"talent"})
ORG = frozenset({"org_member", "other_org_member"})
PUBLIC = "public"


def capability_rules(ids: dict[str, int]) -> dict[tuple[str, str], tuple[Any, str, Any]]:
    r, oa, t1, oa_org = ids["round"], ids["oa"], ids["t1"], ids["org_a"]
    rounds = {
        ("GET", "/api/rounds/{round_id}/openings"): (SIGNED_IN, f"/api/rounds/{r}/openings", None),
        ("POST", "/api/rounds/{round_id}/openings"): (OPERATOR, f"/api/rounds/{r}/openings",
                                                      {"opening_id": oa, "seats": 1}),
        ("DELETE", "/api/rounds/{round_id}/openings/{opening_id}"): (OPERATOR, f"/api/rounds/{r}/openings/{oa}",
                                                                     None),
        ("GET", "/api/rounds/{round_id}/participants"): (READERS, f"/api/rounds/{r}/participants", None),
        ("POST", "/api/rounds/{round_id}/participants"): (OPERATOR, f"/api/rounds/{r}/participants",
                                                          {"talent_id": t1}),
        ("DELETE", "/api/rounds/{round_id}/participants/{talent_id}"): (
            OPERATOR, f"/api/rounds/{r}/participants/{t1}", None),
        ("POST", "/api/rounds/{round_id}/open"): (OPERATOR, f"/api/rounds/{r}/open", None),
        ("POST", "/api/rounds/{round_id}/close"): (OPERATOR, f"/api/rounds/{r}/close", None),
        ("GET", "/api/rounds/{round_id}/preferences"): (READERS, f"/api/rounds/{r}/preferences", None),
        ("PUT", "/api/rounds/{round_id}/preferences/talents/{talent_id}"): (
            {"talent", "operator"}, f"/api/rounds/{r}/preferences/talents/{t1}", {"ranking": [oa]}),
        ("PUT", "/api/rounds/{round_id}/preferences/openings/{opening_id}"): (
            {"org_member", "operator"}, f"/api/rounds/{r}/preferences/openings/{oa}", {"ranking": [t1]}),
        ("POST", "/api/rounds/{round_id}/rankings/generate"): (OPERATOR, f"/api/rounds/{r}/rankings/generate", None),
        ("POST", "/api/rounds/{round_id}/run"): (OPERATOR, f"/api/rounds/{r}/run", None),
        ("GET", "/api/rounds/{round_id}/runs"): (READERS, f"/api/rounds/{r}/runs", None),
        ("GET", "/api/rounds/{round_id}/runs/{run_id}"): (READERS, f"/api/rounds/{r}/runs/1", None),
        ("POST", "/api/rounds/{round_id}/runs/{run_id}/reproduce"): (OPERATOR, f"/api/rounds/{r}/runs/1/reproduce",
                                                                     None),
        ("GET", "/api/rounds/{round_id}/review"): (READERS, f"/api/rounds/{r}/review", None),
        ("POST", "/api/rounds/{round_id}/publish"): (OPERATOR, f"/api/rounds/{r}/publish", {"run_id": 1}),
        ("GET", "/api/rounds/{round_id}/result"): (READERS, f"/api/rounds/{r}/result", None),
    }
    knowledge = {
        ("GET", "/api/taxonomy/skills"): (SIGNED_IN, "/api/taxonomy/skills?q=python", None),
        ("GET", "/api/taxonomy/skills/{skill_id:path}"): (SIGNED_IN, "/api/taxonomy/skills/python", None),
        ("GET", "/api/taxonomy/occupations"): (SIGNED_IN, "/api/taxonomy/occupations?q=engineer", None),
        ("GET", "/api/taxonomy/occupations/{occupation_id:path}"): (SIGNED_IN, "/api/taxonomy/occupations/ml-engineer",
                                                                     None),
        ("GET", "/api/taxonomy/stats"): (SIGNED_IN, "/api/taxonomy/stats", None),
        ("POST", "/api/skills/extract"): (SIGNED_IN, "/api/skills/extract", {"texts": ["PyTorch 개발"], "top": 3}),
        ("POST", "/api/skills/suggest"): (SIGNED_IN, "/api/skills/suggest", {"text": "PyTorch 개발 필수"}),
        ("GET", "/api/taxonomy/aliases"): (SIGNED_IN, "/api/taxonomy/aliases", None),
        ("POST", "/api/taxonomy/aliases"): (OPERATOR, "/api/taxonomy/aliases",
                                            {"skill_id": "python", "alias": "파이쏜"}),
        ("DELETE", "/api/taxonomy/aliases/{alias_id}"): (OPERATOR, "/api/taxonomy/aliases/999999", None),
        # the operator's skill-aliases page (web/pages/aliases_ui.py): auditors read and check texts
        ("GET", "/operator/aliases"): (READERS, "/operator/aliases", None),
        ("GET", "/operator/aliases/pick"): (READERS, "/operator/aliases/pick?skill_q=python", None),
        ("POST", "/operator/aliases"): (OPERATOR, "/operator/aliases", None),
        ("POST", "/operator/aliases/try"): (READERS, "/operator/aliases/try", None),
        ("POST", "/operator/aliases/{alias_id}/remove"): (OPERATOR, "/operator/aliases/999999/remove", None),
        ("POST", "/api/skills/normalize-titles"): (SIGNED_IN, "/api/skills/normalize-titles",
                                                   {"titles": ["데이터 엔지니어"], "top": 3}),
    }
    recommendations = {
        ("GET", "/api/openings/{opening_id}/recommendations"): (
            {"org_member", "operator", "auditor"}, f"/api/openings/{oa}/recommendations?top=5", None),
        ("GET", "/api/talents/{talent_id}/recommendations"): (
            {"talent", "operator", "auditor"}, f"/api/talents/{t1}/recommendations?top=5", None),
        ("GET", "/api/talents/{talent_id}/gap"): (
            {"talent", "operator", "auditor"}, f"/api/talents/{t1}/gap?kind=skills&target=python:2", None),
        ("GET", "/api/talents/{talent_id}/growth-path"): (
            {"talent", "operator", "auditor"}, f"/api/talents/{t1}/growth-path?kind=skills&target=python:2", None),
        ("GET", "/api/audit/recommendations"): (READERS, "/api/audit/recommendations?top=5", None),
    }
    screeners = frozenset({"talent", "org_member", "other_org_member", "operator"})  # auditors only read
    support = {
        ("POST", "/api/support/screen"): (screeners, "/api/support/screen", {"facts": {"person.age": 29}}),
        ("POST", "/api/visas/screen"): (screeners, "/api/visas/screen", {"facts": {"person.foreign": True}}),
        ("POST", "/api/offers/compare"): (screeners, "/api/offers/compare",
                                          {"startup": {"salary": 1}, "large": {"salary": 1}}),
        ("GET", "/api/support/rules"): (SIGNED_IN, "/api/support/rules", None),
        ("GET", "/support/rules"): (SIGNED_IN, "/support/rules", None),
        ("GET", "/org/support"): (ORG, "/org/support", None),
        ("GET", "/org/support/screen"): ({"org_member"}, f"/org/support/screen?opening_id={oa}", None),
        ("POST", "/org/support/screen"): (ORG, "/org/support/screen", None),
        ("GET", "/me/visas"): (TALENT, "/me/visas", None),
        ("POST", "/me/visas"): (TALENT, "/me/visas", None),
        ("GET", "/me/offers"): (TALENT, "/me/offers", None),
        ("POST", "/me/offers"): (TALENT, "/me/offers", None),
        ("GET", "/operator/support"): (READERS, "/operator/support", None),
        ("GET", "/operator/support/milestones.csv"): (READERS, "/operator/support/milestones.csv", None),
    }
    pages = {
        ("GET", "/"): (PUBLIC, "/", None),
        ("GET", "/login"): (PUBLIC, "/login", None),
        ("POST", "/login"): (PUBLIC, "/login", None),
        ("POST", "/logout"): (PUBLIC, "/logout", None),
        ("GET", "/signup"): (PUBLIC, "/signup", None),
        ("POST", "/signup"): (PUBLIC, "/signup", None),
        ("GET", "/password-reset"): (PUBLIC, "/password-reset", None),
        ("POST", "/password-reset"): (PUBLIC, "/password-reset", None),
        ("POST", "/password-reset/confirm"): (PUBLIC, "/password-reset/confirm", None),
        ("GET", "/me"): (TALENT, "/me", None),
        ("POST", "/me"): (TALENT, "/me", None),
        ("POST", "/me/skills/suggest"): (TALENT, "/me/skills/suggest", None),
        ("POST", "/me/skills"): (TALENT, "/me/skills", None),
        ("GET", "/me/recommendations"): (TALENT, "/me/recommendations", None),
        ("POST", "/me/apply"): (TALENT, "/me/apply", None),
        ("GET", "/me/applications"): (TALENT, "/me/applications", None),
        ("GET", "/me/rounds"): (TALENT, "/me/rounds", None),
        ("POST", "/me/rounds/{round_id}/preferences"): (TALENT, f"/me/rounds/{r}/preferences", None),
        ("GET", "/org"): (ORG, "/org", None),
        ("POST", "/org"): (ORG, "/org", None),
        ("GET", "/org/openings"): (ORG, "/org/openings", None),
        ("POST", "/org/openings"): (ORG, "/org/openings", None),
        ("POST", "/org/openings/suggest"): (ORG, "/org/openings/suggest", None),
        ("GET", "/org/openings/{opening_id}"): ({"org_member"}, f"/org/openings/{oa}", None),
        ("POST", "/org/applications/{application_id}"): ({"org_member"}, f"/org/applications/{ids['application']}",
                                                         None),
        ("GET", "/org/rounds"): (ORG, "/org/rounds", None),
        ("POST", "/org/rounds/{round_id}/openings/{opening_id}/ranking"): (
            {"org_member"}, f"/org/rounds/{r}/openings/{oa}/ranking", None),
        ("POST", "/org/rounds/{round_id}/openings/{opening_id}/generate"): (
            {"org_member"}, f"/org/rounds/{r}/openings/{oa}/generate", None),
        # -- organization openings, applicant pipeline, talent opening search (issue 12, web-orgtalent) --
        ("GET", "/org/openings/{opening_id}/edit"): ({"org_member"}, f"/org/openings/{oa}/edit", None),
        ("POST", "/org/openings/{opening_id}/edit"): ({"org_member"}, f"/org/openings/{oa}/edit", None),
        ("POST", "/org/openings/{opening_id}/invite"): ({"org_member"}, f"/org/openings/{oa}/invite", None),
        ("GET", "/skills/pick"): (ORG | TALENT, "/skills/pick?q=py", None),
        ("GET", "/me/openings"): (TALENT, "/me/openings", None),
        ("GET", "/me/openings/{opening_id}"): (TALENT, f"/me/openings/{oa}", None),
        ("POST", "/me/openings/{opening_id}/apply"): (TALENT, f"/me/openings/{oa}/apply", None),
        ("POST", "/me/applications/{application_id}/withdraw"): (
            TALENT, f"/me/applications/{ids['application']}/withdraw", None),
        ("POST", "/me/invitations/{invitation_id}"): (TALENT, "/me/invitations/1", None),
        ("POST", "/me/skills/add"): (TALENT, "/me/skills/add", None),
        ("GET", "/operator"): (READERS, "/operator", None),
        ("GET", "/operator/search"): (READERS, "/operator/search?q=김", None),
        ("GET", "/operator/rounds"): (READERS, "/operator/rounds", None),
        ("POST", "/operator/rounds"): (OPERATOR, "/operator/rounds", None),
        ("GET", "/operator/rounds/{round_id}"): (READERS, f"/operator/rounds/{r}", None),
        ("POST", "/operator/rounds/{round_id}/action"): (OPERATOR, f"/operator/rounds/{r}/action", None),
        ("POST", "/operator/rounds/{round_id}/run"): (OPERATOR, f"/operator/rounds/{r}/run", None),
        ("GET", "/operator/audit-log"): (READERS, "/operator/audit-log", None),
        # programme and round pages (web/pages/operator_rounds.py)
        ("GET", "/operator/programs/new"): (OPERATOR, "/operator/programs/new", None),
        ("POST", "/operator/programs/new"): (OPERATOR, "/operator/programs/new", None),
        ("GET", "/operator/programs/{program_id}/edit"): (OPERATOR, f"/operator/programs/{ids['program']}/edit", None),
        ("POST", "/operator/programs/{program_id}/edit"): (OPERATOR, f"/operator/programs/{ids['program']}/edit", None),
        ("GET", "/operator/programs/{program_id}/rounds/new"): (
            OPERATOR, f"/operator/programs/{ids['program']}/rounds/new", None),
        ("POST", "/operator/programs/{program_id}/rounds/new"): (
            OPERATOR, f"/operator/programs/{ids['program']}/rounds/new", None),
        ("GET", "/operator/rounds/{round_id}/edit"): (OPERATOR, f"/operator/rounds/{r}/edit", None),
        ("POST", "/operator/rounds/{round_id}/edit"): (OPERATOR, f"/operator/rounds/{r}/edit", None),
        ("GET", "/operator/rounds/{round_id}/setup"): (READERS, f"/operator/rounds/{r}/setup?tq=김", None),
        ("POST", "/operator/rounds/{round_id}/openings"): (OPERATOR, f"/operator/rounds/{r}/openings", None),
        ("POST", "/operator/rounds/{round_id}/openings/{opening_id}/seats"): (
            OPERATOR, f"/operator/rounds/{r}/openings/{oa}/seats", None),
        ("POST", "/operator/rounds/{round_id}/openings/{opening_id}/detach"): (
            OPERATOR, f"/operator/rounds/{r}/openings/{oa}/detach", None),
        ("POST", "/operator/rounds/{round_id}/participants"): (OPERATOR, f"/operator/rounds/{r}/participants", None),
        ("POST", "/operator/rounds/{round_id}/participants/{talent_id}/remove"): (
            OPERATOR, f"/operator/rounds/{r}/participants/{t1}/remove", None),
        ("POST", "/operator/rounds/{round_id}/upload/{what}"): (
            OPERATOR, f"/operator/rounds/{r}/upload/participants", None),
        ("GET", "/operator/rounds/{round_id}/compare"): (READERS, f"/operator/rounds/{r}/compare", None),
        ("GET", "/operator/rounds/{round_id}/placements"): (READERS, f"/operator/rounds/{r}/placements", None),
        ("POST", "/operator/placements/{placement_id}"): (OPERATOR, "/operator/placements/999999", None),
        ("POST", "/operator/placements/{placement_id}/followups/{months}"): (
            OPERATOR, "/operator/placements/999999/followups/3", None),
        ("POST", "/org/placements/{placement_id}/followups/{months}"): (ORG, "/org/placements/999999/followups/3", None),
    }
    platform = {  # accounts, notifications, import/export, search records, favicon (web-platform)
        ("GET", "/favicon.ico"): (PUBLIC, "/favicon.ico", None),
        ("GET", "/signup/organizations"): (PUBLIC, "/signup/organizations?organization_name=a", None),
        ("GET", "/notifications"): (SIGNED_IN, "/notifications", None),
        ("POST", "/notifications/read"): (SIGNED_IN, "/notifications/read", None),
        ("GET", "/operator/outbox"): (OPERATOR, "/operator/outbox", None),
        ("GET", "/operator/accounts"): (READERS, "/operator/accounts", None),
        ("POST", "/operator/accounts/{user_id}/{action}"): (OPERATOR, "/operator/accounts/1/reset", None),
        ("GET", "/operator/data"): (OPERATOR, "/operator/data", None),
        ("POST", "/operator/data/import"): (OPERATOR, "/operator/data/import", None),
        ("GET", "/operator/data/rejects/{token}"): (OPERATOR, "/operator/data/rejects/abcdefghijklmnopqrstuvwx", None),
        ("GET", "/operator/data/export"): (OPERATOR, "/operator/data/export?entity=organizations", None),
        # background jobs (web/api/jobs.py, web/pages/jobs_ui.py): others' jobs are 404, not 403
        ("GET", "/api/jobs"): (SIGNED_IN, "/api/jobs", None),
        ("POST", "/api/jobs"): (OPERATOR, "/api/jobs", {"kind": "reindex"}),
        ("GET", "/api/jobs/{job_id}"): (SIGNED_IN, "/api/jobs/999999", None),
        ("POST", "/api/jobs/{job_id}/cancel"): (SIGNED_IN - {"auditor"}, "/api/jobs/999999/cancel", None),
        ("GET", "/jobs"): (SIGNED_IN, "/jobs", None),
        ("POST", "/jobs"): (OPERATOR, "/jobs", None),
        ("GET", "/jobs/{job_id}"): (SIGNED_IN, "/jobs/999999", None),
        ("POST", "/jobs/{job_id}/cancel"): (SIGNED_IN - {"auditor"}, "/jobs/999999/cancel", None),
        ("GET", "/jobs/{job_id}/output"): (SIGNED_IN, "/jobs/999999/output", None),
        ("GET", "/operator/records/talents/{talent_id}"): (READERS, f"/operator/records/talents/{t1}", None),
        ("GET", "/operator/records/openings/{opening_id}"): (READERS, f"/operator/records/openings/{oa}", None),
        ("GET", "/operator/records/organizations/{organization_id}"): (
            READERS, f"/operator/records/organizations/{ids['org_a']}", None),
    }
    privacy = {  # personal-data rights (web/pages/privacy_ui.py, privacy_operator_ui.py, profile_details_ui.py)
        ("GET", "/privacy"): (PUBLIC, "/privacy", None),
        ("GET", "/me/privacy"): (TALENT, "/me/privacy", None),
        ("GET", "/me/privacy/export.json"): (TALENT, "/me/privacy/export.json", None),
        ("POST", "/me/privacy/consent"): (TALENT, "/me/privacy/consent", None),
        ("POST", "/me/privacy/delete"): (TALENT, "/me/privacy/delete", None),
        ("GET", "/me/details"): (TALENT, "/me/details", None),
        ("POST", "/me/details"): (TALENT, "/me/details", None),
        ("GET", "/operator/privacy"): (OPERATOR, "/operator/privacy?q=김", None),
        ("GET", "/operator/privacy/talents/{talent_id}"): (OPERATOR, f"/operator/privacy/talents/{t1}", None),
        ("GET", "/operator/privacy/talents/{talent_id}/export.json"): (
            OPERATOR, f"/operator/privacy/talents/{t1}/export.json", None),
        ("POST", "/operator/privacy/talents/{talent_id}/erase"): (
            OPERATOR, f"/operator/privacy/talents/{t1}/erase", None),
    }
    analytics = {  # status analytics (web/api/analytics.py, web/pages/analytics_ui.py)
        ("GET", "/api/analytics"): (READERS, "/api/analytics", None),
        ("GET", "/api/analytics/{name}"): (READERS, "/api/analytics/supply-demand", None),
        ("GET", "/operator/analytics"): (READERS, "/operator/analytics", None),
        ("GET", "/operator/analytics/report"): (READERS, "/operator/analytics/report?period=2026-H1&format=html", None),
        ("POST", "/operator/analytics/report"): (READERS, "/operator/analytics/report", None),
    }
    asking = TALENT | ORG  # a human review is asked for by the talent or organization a result is about
    ai = {  # AI Basic Act records, packs and human reviews (web/api/ai.py, web/pages/ai_ui.py)
        ("POST", "/api/ai/reviews"): (asking, "/api/ai/reviews", {"reason": "점수의 근거를 사람이 다시 봐 주세요"}),
        ("GET", "/api/ai/reviews"): (SIGNED_IN, "/api/ai/reviews", None),
        ("GET", "/api/ai/reviews/{review_id}"): (SIGNED_IN, "/api/ai/reviews/999999", None),
        ("POST", "/api/ai/reviews/{review_id}/answer"): (OPERATOR, "/api/ai/reviews/999999/answer",
                                                         {"answer": "검토했습니다"}),
        ("GET", "/api/ai/records"): (READERS, "/api/ai/records", None),
        ("GET", "/api/ai/records/{key}"): (READERS, "/api/ai/records/nosuchkey", None),
        ("POST", "/api/ai/packs"): (OPERATOR, "/api/ai/packs", {"round_id": 999999}),
        ("GET", "/api/ai/packs"): (READERS, "/api/ai/packs", None),
        ("GET", "/ai/reviews/new"): (asking, "/ai/reviews/new", None),
        ("POST", "/ai/reviews"): (asking, "/ai/reviews", None),
        ("GET", "/ai/reviews"): (asking, "/ai/reviews", None),
        ("GET", "/operator/ai"): (READERS, "/operator/ai", None),
        ("GET", "/operator/ai/reviews"): (READERS, "/operator/ai/reviews", None),
        ("POST", "/operator/ai/reviews/{review_id}/answer"): (OPERATOR, "/operator/ai/reviews/999999/answer", None),
        ("GET", "/operator/ai/records/{key}"): (READERS, "/operator/ai/records/nosuchkey", None),
        ("POST", "/operator/ai/packs"): (OPERATOR, "/operator/ai/packs", None),
        ("GET", "/operator/ai/packs/{pack_id}/{name}"): (READERS, "/operator/ai/packs/999999/pack.pdf", None),
    }
    courses = {  # the operator's course catalogue (web/pages/courses_ui.py)
        ("GET", "/operator/courses"): (OPERATOR, "/operator/courses", None),
        ("GET", "/operator/courses/{course_id}"): (OPERATOR, "/operator/courses/999999", None),
        ("POST", "/operator/courses/{course_id}/skills"): (OPERATOR, "/operator/courses/999999/skills", None),
        ("GET", "/operator/courses/uncovered"): (OPERATOR, "/operator/courses/uncovered", None),
        # growth paths (web/pages/growth_ui.py) and training plans (web/pages/training_ui.py)
        ("GET", "/me/growth"): (TALENT, "/me/growth", None),
        ("POST", "/me/growth/save"): (TALENT, "/me/growth/save", None),
        ("POST", "/me/growth/progress"): (TALENT, "/me/growth/progress", None),
        ("GET", "/org/training"): (ORG, "/org/training", None),
        # saved training plans: pages (web/pages/training_plans_ui.py) and API (web/api/training_plans.py)
        ("GET", "/org/training/plans"): (ORG, "/org/training/plans", None),
        ("POST", "/org/training/plans"): (ORG, "/org/training/plans", None),
        ("GET", "/org/training/plans/{plan_id}"): (ORG, "/org/training/plans/999999", None),
        ("POST", "/org/training/plans/{plan_id}"): (ORG, "/org/training/plans/999999", None),
        ("POST", "/org/training/plans/{plan_id}/delete"): (ORG, "/org/training/plans/999999/delete", None),
        ("POST", "/org/training/plans/{plan_id}/status"): (ORG, "/org/training/plans/999999/status", None),
        ("GET", "/org/training/plans/{plan_id}/export.{fmt}"): (ORG, "/org/training/plans/999999/export.csv", None),
        ("GET", "/api/organizations/{organization_id}/training-plans"): (
            {"org_member", "operator", "auditor"}, f"/api/organizations/{oa_org}/training-plans", None),
        ("POST", "/api/organizations/{organization_id}/training-plans"): (
            {"org_member"}, f"/api/organizations/{oa_org}/training-plans",
            {"target_kind": "skills", "target_ref": "python:2", "talent_ids": [t1]}),
        ("GET", "/api/organizations/{organization_id}/training-plans/{plan_id}"): (
            {"org_member", "operator", "auditor"}, f"/api/organizations/{oa_org}/training-plans/999999", None),
        ("PATCH", "/api/organizations/{organization_id}/training-plans/{plan_id}"): (
            {"org_member"}, f"/api/organizations/{oa_org}/training-plans/999999", {"name": "2분기"}),
        ("DELETE", "/api/organizations/{organization_id}/training-plans/{plan_id}"): (
            {"org_member"}, f"/api/organizations/{oa_org}/training-plans/999999", None),
    }
    return rounds | knowledge | recommendations | support | pages | platform | analytics | privacy | ai | courses
