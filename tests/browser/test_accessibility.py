"""Accessibility: axe-core (vendored from the npm registry, tests/browser/vendor/axe.min.js) scans every page of
every role — the pages each role's navigation links to, plus detail and form pages reached from them — in Korean
and English, and fails on any serious or critical violation. The summary (pages scanned, violations by impact) is
written to test-results/axe-report.json and printed.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import DEMO_PASSWORD, ROOT

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
REPORT = Path(os.environ.get("TALENTBRIDGE_AXE_REPORT", ROOT / "test-results" / "axe-report.json"))
FAILING = {"serious", "critical"}
ROLES = ["anonymous", "talent", "org_member", "operator", "auditor"]
LOGINS = {
    "talent": "talent@demo.talentbridge.kr",
    "org_member": "org@demo.talentbridge.kr",
    "operator": "operator@demo.talentbridge.kr",
    "auditor": "auditor@demo.talentbridge.kr",
}
#: Pages no navigation link leads to directly (forms, details, errors); "{first:<css>}" follows the first link.
EXTRA: dict[str, list[str]] = {
    "anonymous": ["/login", "/signup", "/password-reset", "/no-such-page"],
    "talent": ["/notifications", "/me?lang=en", "/ai/reviews/new?subject=round%3A1"],
    "org_member": ["/notifications", "{first:main table a[href^='/org/openings/']}", "/ai/reviews/new?subject=round%3A1",
                   "/org/training/plans"],
    "operator": [
        "/notifications",
        "/operator/search?q=비전",
        "{first:main a[href^='/operator/records/talents/']}",
        "{first:main a[href^='/operator/records/openings/']}",
        "{first:main a[href^='/operator/records/organizations/']}",
        "/operator/accounts",
        "/operator/aliases",
        "/operator/data",
        "/operator/outbox",
        "/operator/audit-log?changes=true",
        "{first:main a[href^='/operator/rounds/']}",
        "/operator/ai/reviews",
        "{first:main a[href^='/operator/ai/records/']}",
    ],
    "auditor": ["/operator/search?q=AI", "/operator/accounts", "/operator/audit-log", "/operator/aliases"],
}
_RESULTS: dict[str, list[dict[str, Any]]] = {}


def _sign_in(page: Any, role: str) -> None:
    if role == "anonymous":
        return
    page.goto("/login")
    page.fill("#email", LOGINS[role])
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")


def _nav_links(page: Any) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "header nav a[href], header .right a[href^='/']", "els => els.map(e => e.getAttribute('href'))"
    )
    return [h for h in hrefs if h and h.startswith("/") and not h.startswith("//")]


def _scan(page: Any) -> list[dict[str, Any]]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}));
        }"""
    )
    return list(result)


@pytest.fixture
def scan_page(browser: Any, live_server: str) -> Any:
    # Injecting axe is a test's doing: the app's Content-Security-Policy must not stop it.
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900}, locale="ko-KR",
                                  bypass_csp=True)  # fmt: skip
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield page
    context.close()


@pytest.mark.parametrize("role", ROLES)
def test_every_page_has_no_serious_or_critical_violation(scan_page: Any, role: str) -> None:
    page = scan_page
    _sign_in(page, role)
    start = page.url
    queue: list[str] = []
    seen: set[str] = set()
    if role != "anonymous":
        page.goto(start)
        queue += _nav_links(page)
    queue += EXTRA[role]
    results: list[dict[str, Any]] = []
    for entry in queue:
        if entry.startswith("{first:"):
            selector = entry[len("{first:") : -1]
            target = None
            for previous in [r["path"] for r in results][::-1]:  # the first matching link on a page already seen
                page.goto(previous)
                link = page.locator(selector)
                if link.count():
                    target = link.first.get_attribute("href")
                    break
            if not target:
                continue
            entry = target
        for lang in ("ko", "en"):
            path = entry + ("&" if "?" in entry else "?") + f"lang={lang}"
            key = urlsplit(entry).path + "?" + (urlsplit(entry).query or "") + lang
            if key in seen or entry.startswith("/logout"):
                continue
            seen.add(key)
            page.goto(path)
            page.wait_for_load_state("networkidle")
            violations = _scan(page)
            results.append({"path": entry, "lang": lang, "violations": violations})
    page.goto("/?lang=ko")  # leave the language as Korean for later tests sharing nothing but the server
    _RESULTS[role] = results
    _write_report()
    bad = [
        f"{r['path']} ({r['lang']}): {v['impact']} {v['id']} — {v['help']} at {v['nodes']}"
        for r in results
        for v in r["violations"]
        if v["impact"] in FAILING
    ]
    assert results, f"no page scanned for {role}"
    assert not bad, "axe found serious/critical violations:\n" + "\n".join(bad)


def _write_report() -> None:
    by_impact: Counter[str] = Counter()
    pages = 0
    for results in _RESULTS.values():
        for r in results:
            pages += 1
            for v in r["violations"]:
                by_impact[v["impact"] or "unknown"] += 1
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    summary = {"pages_scanned": pages, "violations_by_impact": dict(by_impact), "roles": _RESULTS}
    REPORT.write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\naxe: {pages} page scans, violations by impact: {dict(by_impact) or 'none'}")


def test_the_scan_finds_a_planted_violation(scan_page: Any) -> None:
    """The scanner itself works: an image without a text alternative on a real page is a critical finding."""
    scan_page.goto("/login")
    scan_page.evaluate(
        "() => document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/favicon.ico\">')"
    )
    found = {v["id"]: v["impact"] for v in _scan(scan_page)}
    assert found.get("image-alt") == "critical"
