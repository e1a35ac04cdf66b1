"""The Content-Security-Policy (issue 13) breaks nothing: every main page of every role, HTMX swaps and the
ECharts dashboard (tooltips included) run without a single policy violation in Chromium."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

PAGES = {
    None: ["/login", "/signup", "/password-reset"],
    "talent": ["/me", "/me/recommendations", "/me/applications", "/me/rounds"],
    "org_member": ["/org", "/org/openings", "/org/rounds"],
    "operator": ["/operator", "/operator/search?q=AI", "/operator/rounds", "/operator/audit-log"],
}


def _watch(page: Any) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return violations


@pytest.mark.parametrize("role", list(PAGES), ids=lambda r: r or "anonymous")
def test_no_page_violates_the_policy(new_page: Any, role: str | None) -> None:
    page = new_page()
    violations = _watch(page)
    if role:
        sign_in(page, role)
    for path in PAGES[role]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
    assert violations == []


def test_htmx_swaps_run_under_the_policy(new_page: Any) -> None:
    page = new_page()
    violations = _watch(page)
    sign_in(page, "talent")
    page.goto("/me")
    page.fill("#resume_text", "PyTorch 기반 비전 검사 모델 개발 3년, Kubernetes로 MLOps 파이프라인 구축")
    with page.expect_response("**/me/skills/suggest", timeout=120_000) as swap:
        page.click("#suggest")
    assert swap.value.status == 200
    expect(page.locator("#suggestions tr.suggestion").first).to_be_visible(timeout=30_000)
    assert violations == []


def test_dashboard_charts_and_tooltips_run_under_the_policy(new_page: Any) -> None:
    page = new_page()
    violations = _watch(page)
    sign_in(page, "operator")
    page.goto("/operator")
    chart = page.locator(".chart svg").first
    expect(chart).to_be_visible()
    assert page.locator(".chart svg text").count() > 10  # axes and legends drawn
    box = chart.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 60, box["y"] + box["height"] * 0.6)
    page.mouse.move(box["x"] + 64, box["y"] + box["height"] * 0.55)
    page.wait_for_timeout(500)
    assert violations == []
