"""The recommendation routes are matched first (``web/app.py`` ``ROUTER_MODULES``): that is only safe while no
other route of the app answers a path they match, whatever the segment's value."""

from __future__ import annotations

import re

from fastapi.routing import _IncludedRouter

from talentbridge.web.api import recommendations

HOT = [route.path for route in recommendations.router.routes]
SEGMENT = re.compile(r"\{[^}]+\}")


def _routes(app: object) -> list[tuple[str, re.Pattern[str]]]:
    """Every route the app matches a request against, in order, as (path, regex)."""
    found = []
    for top in app.router.routes:  # type: ignore[attr-defined]
        contexts = top.effective_route_contexts() if isinstance(top, _IncludedRouter) else [top]
        for context in contexts:
            route = getattr(context, "starlette_route", None) or getattr(context, "original_route", context)
            regex = getattr(route, "path_regex", None)
            if regex is not None:
                found.append((route.path, regex))
    return found


def test_the_recommendation_routes_come_first(app: object) -> None:
    paths = [path for path, _ in _routes(app)]
    api = [path for path in paths if path.startswith("/api/")]  # before them only FastAPI's own /openapi.json
    assert api[: len(HOT)] == HOT
    assert paths.index(HOT[0]) <= 1
    assert "/api/openings/{opening_id}/recommendations" in HOT
    assert len(paths) > 100  # the whole app, pages included


def test_no_other_route_answers_a_path_they_match(app: object) -> None:
    routes = _routes(app)
    others = [(path, regex) for path, regex in routes if path not in HOT]
    for hot in HOT:
        for value in ("1", "123456", "abc", "draft", "export"):
            sample = SEGMENT.sub(value, hot)
            clashes = [path for path, regex in others if regex.match(sample)]
            assert clashes == [], (sample, clashes)


def test_the_check_sees_a_clash() -> None:
    """The same check flags a route that would have been shadowed (so the test above can fail)."""
    shadowed = re.compile(r"^/api/openings/(?P<opening_id>[^/]+)/(?P<part>[^/]+)$")
    assert shadowed.match(SEGMENT.sub("1", "/api/openings/{opening_id}/recommendations"))
