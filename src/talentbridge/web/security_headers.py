"""Security headers on every response (pages, API, static files, errors raised inside the app).

- ``Content-Security-Policy``: scripts, styles, images, fonts and connections from this origin only; no plugins,
  no ``<base>`` tricks, forms post here only, and no framing (``frame-ancestors 'none'``). The pages load their
  scripts from ``/static`` and keep chart data in ``<script type="application/json">`` blocks (data, never run);
  HTMX's own injected indicator ``<style>`` is turned off in ``base.html`` and its rules live in ``app.css``.
  ECharts' SVG renderer writes ``style`` attributes, so ``style-src-attr`` allows inline attributes (and only
  them: a ``<style>`` element or stylesheet from elsewhere is still refused).
- The OpenAPI pages (``/docs``, ``/redoc``) get a relaxed policy: FastAPI builds them with an inline script and
  the Swagger UI / ReDoc bundles from cdn.jsdelivr.net.
- ``X-Frame-Options: DENY`` (older browsers), ``X-Content-Type-Options: nosniff``, ``Referrer-Policy:
  same-origin`` (no page address, with its ids, leaks to other sites), ``Cross-Origin-Opener-Policy``,
  ``Permissions-Policy`` (no camera, microphone, location ...), and in production ``Strict-Transport-Security``.

A header a route set itself is kept (``setdefault``). An unexpected error (500) is answered by Starlette's
outermost middleware, outside this one; its handler (web/errors.py) adds ``security_headers`` itself.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["SecurityHeadersMiddleware", "security_headers", "PAGE_CSP", "DOCS_CSP", "DOCS_PATHS"]

PAGE_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
DOCS_CSP = "; ".join(
    [
        "default-src 'self'",
        # Swagger UI's assets are served from /static/vendor (never a CDN); its page starts them with an inline script
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc"})

_COMMON = [
    ("x-frame-options", "DENY"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
    ("cross-origin-opener-policy", "same-origin"),
    ("permissions-policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
]
HSTS = ("strict-transport-security", "max-age=31536000; includeSubDomains")


def security_headers(path: str, *, hsts: bool = False) -> list[tuple[str, str]]:
    """The headers a response to ``path`` carries."""
    csp = DOCS_CSP if path in DOCS_PATHS else PAGE_CSP
    return [("content-security-policy", csp), *_COMMON, *([HSTS] if hsts else [])]


class SecurityHeadersMiddleware:
    """Pure ASGI middleware (no body buffering): adds the headers to ``http.response.start``."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app = app
        self.hsts = hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = security_headers(scope.get("path", ""), hsts=self.hsts)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in wanted:
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
