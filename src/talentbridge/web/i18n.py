"""Translations of every visible string: Korean by default, English second.

Catalogs are JSON files in ``web/locales/<lang>.json`` mapping an English message id to its text, plus one file
per feature in ``web/locales/<lang>/*.json`` (merged in name order, so features add messages without touching a
shared file). Templates call
``_("Sign in")``; a message missing from a catalog falls back to the id (English), and a test checks that the
Korean catalog covers every id used in templates and page code.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from fastapi import Request

__all__ = ["LANGUAGES", "catalog", "gettext_for", "request_language"]

LANGUAGES = ("ko", "en")


@lru_cache(maxsize=4)
def catalog(lang: str) -> dict[str, str]:
    locales = resources.files("talentbridge.web") / "locales"
    messages: dict[str, str] = {}
    path = locales / f"{lang}.json"
    if path.is_file():
        messages.update(json.loads(path.read_text(encoding="utf-8")))
    folder = locales / lang
    if folder.is_dir():
        for part in sorted((p for p in folder.iterdir() if p.name.endswith(".json")), key=lambda p: p.name):
            messages.update(json.loads(part.read_text(encoding="utf-8")))
    return messages


def gettext_for(lang: str) -> Any:
    messages = catalog(lang)

    def gettext(message: str, **values: Any) -> str:
        text = messages.get(message) or message
        return text.format(**values) if values else text

    return gettext


def request_language(request: Request) -> str:
    """``?lang=`` (remembered in a cookie), else the cookie, else the user's setting, else the default."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked  # type: ignore[return-value]
    cookie = request.cookies.get("tb_lang")
    if cookie in LANGUAGES:
        return cookie  # type: ignore[return-value]
    user = getattr(request.state, "user", None)
    if user is not None and user.language in LANGUAGES:
        return user.language  # type: ignore[no-any-return]
    return request.app.state.settings.default_language  # type: ignore[no-any-return]
