"""``talentbridge users``: accounts and API tokens."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.table import Table

from talentbridge.cli._common import open_database

app = typer.Typer(no_args_is_help=True)
token_app = typer.Typer(no_args_is_help=True)
app.add_typer(token_app, name="token", help="Personal API tokens.")
console = Console()


@app.command()
def create(
    email: str = typer.Option(..., help="Sign-in email."),
    role: str = typer.Option(..., help="operator, org_member, talent or auditor."),
    name: str = typer.Option(..., help="Display name."),
    organization_id: int = typer.Option(None, help="Organization of an org_member."),
    talent_id: int = typer.Option(None, help="Talent profile of a talent account."),
    password: str = typer.Option(
        ..., prompt=True, hide_input=True, confirmation_prompt=True, help="At least 10 characters."
    ),
    language: str = typer.Option("ko", help="ko or en."),
) -> None:
    """Create an account (e.g. the first operator)."""
    from talentbridge.services.accounts import create_user

    db = open_database()
    with db.session() as session:
        user = create_user(session, email=email, password=password, role=role, name=name,
                           organization_id=organization_id, talent_id=talent_id, language=language)
    console.print(f"[green]Created {user.role.value} account {user.email} (id {user.id}).[/]")


@app.command("list")
def list_(role: str = typer.Option(None, help="Only this role.")) -> None:
    """List accounts."""
    from talentbridge.services.accounts import list_users

    db = open_database()
    table = Table("id", "email", "name", "role", "organization", "talent", "active")
    with db.session() as session:
        page = 1
        while True:
            users, total = list_users(session, role=role, page=page, size=500)
            for u in users:
                table.add_row(str(u.id), u.email, u.name, u.role.value, str(u.organization_id or ""),
                              str(u.talent_id or ""), "yes" if u.active else "no")
            if page * 500 >= total:
                break
            page += 1
    console.print(table)


@app.command()
def activate(email: str, active: bool = typer.Option(True, "--active/--inactive")) -> None:
    """Activate (or deactivate) an account."""
    from talentbridge.services.account_admin import user_id_by_email
    from talentbridge.services.accounts import update_user

    db = open_database()
    with db.session() as session:
        user_id = user_id_by_email(session, email)
        update_user(session, user_id, active=active)
    console.print(f"[green]{email} is now {'active' if active else 'inactive'}.[/]")


@app.command("reset-password")
def reset_password(email: str) -> None:
    """Make a one-time password-reset token (printed here; valid for one hour)."""
    from talentbridge.services.accounts import request_password_reset

    db = open_database()
    with db.session() as session:
        token = request_password_reset(session, email)
    if token is None:
        from talentbridge.domain.errors import NotFound

        raise NotFound("user", email)
    console.print(f"Reset token for {email} (one hour, one use; earlier tokens no longer work): [bold]{token}[/]")


@token_app.command("create")
def token_create(email: str, name: str = typer.Option("cli", help="A name to recognise the token by.")) -> None:
    """Create a personal API token for an account (shown once)."""
    from talentbridge.services.account_admin import user_id_by_email
    from talentbridge.services.accounts import create_api_token

    db = open_database()
    with db.session() as session:
        user_id = user_id_by_email(session, email)
        _, token = create_api_token(session, user_id, name)
    console.print(f"API token (shown once; send as 'Authorization: Bearer …'): [bold]{token}[/]")
