"""ASGI entry for process managers: ``uvicorn talentbridge.web.asgi:app``. Builds the app on first import of
this module only (never imported by the package itself)."""

from talentbridge.web.app import create_app

app = create_app()
