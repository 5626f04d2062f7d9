"""Credentials of the embedded default: ``keys create``, ``keys list`` and ``keys revoke`` for machine clients,
``users add``, ``users disable`` and ``users password`` for people who sign in with ``POST /v1/token`` or the
pages (disabling someone or changing their password ends every session they hold). Councils are checked against the
register of councils (the data's, or the demo's three); keys are printed once when made and never again."""

import sys
from typing import Annotated

import typer

from api.cli.common import clear_errors, console, settings, split
from core.errors import PlacewiseError

RoleOption = Annotated[str, typer.Option("--role", help="caseworker, commissioner, planner, decision_maker, "
                                         "setting (a person of a setting, with --providers) or admin.")]
ProvidersOption = Annotated[str, typer.Option("--providers", help="A setting's person: the URNs of its settings, "
                                              "comma-separated (and no --councils).")]
CouncilsOption = Annotated[str, typer.Option("--councils", help="ONS codes it acts for, comma-separated.")]


def _checked_scope(role: str, councils: str) -> list[str]:
    from api.platform.security.auth import ROLES
    from scenarios.inputs import council_codes, councils_note

    if role not in ROLES:
        raise PlacewiseError(f"--role: use one of {', '.join(ROLES)}")
    chosen = split(councils) or []
    if role == "setting":
        if chosen:
            raise PlacewiseError("--councils: a setting's person acts for its settings (--providers), never a council")
        return []
    if role != "admin" and not chosen:
        raise PlacewiseError("--councils: everyone but an admin acts for at least one council")
    data = settings().data
    unknown = sorted(set(chosen) - council_codes(data))
    if unknown:
        raise PlacewiseError(f"--councils: {', '.join(unknown)} is not a council of the register "
                             f"({councils_note(data)})")
    return chosen


def _checked_providers(role: str, providers: str) -> list[int] | None:
    """A setting's person's URNs, each a setting of the register; nobody else names settings."""
    from scenarios.inputs import load_inputs

    given = split(providers) or []
    if role != "setting":
        if given:
            raise PlacewiseError("--providers: only a setting's person (--role setting) names settings")
        return None
    if not given or not all(item.isdigit() for item in given):
        raise PlacewiseError("--providers: a setting's person names its settings' URNs, comma-separated")
    urns = [int(item) for item in given]
    unknown = sorted(set(urns) - set(load_inputs(settings().data).providers.index))
    if unknown:
        raise PlacewiseError(f"--providers: {', '.join(map(str, unknown))} is not a setting of the register; "
                             "check the URNs")
    return urns


keys_app = typer.Typer(help="API keys for machine clients.", no_args_is_help=True)
users_app = typer.Typer(help="People of the embedded default, who sign in with POST /v1/token.",
                        no_args_is_help=True)


@keys_app.command("create")
def create_api_key(role: RoleOption,
                   name: Annotated[str, typer.Option("--name", help="Who or what holds the key.")],
                   councils: CouncilsOption = "") -> None:
    """Create an API key for a machine client: printed once, kept only as a hash."""
    with clear_errors():
        from api.platform.security.keys import create_key
        from api.platform.store.engine import make_engine

        if role == "setting":
            raise PlacewiseError("--role: a setting's people sign in as themselves (users add --role setting); "
                                 "no API key acts for a setting")
        scope = _checked_scope(role, councils)
        console.print(create_key(make_engine(settings().database_url), name[:100], role, scope))


@keys_app.command("list")
def list_api_keys() -> None:
    """The API keys: id, name, role, councils, made and whether revoked (never a key or its hash)."""
    with clear_errors():
        from rich.table import Table

        from api.platform.security.keys import list_keys
        from api.platform.store.engine import make_engine

        table = Table("id", "name", "role", "councils", "created", "revoked")
        for key in list_keys(make_engine(settings().database_url)):
            table.add_row(str(key.id), key.name, key.role, ",".join(key.councils or []),
                          key.created_at.strftime("%Y-%m-%d %H:%M"), "yes" if key.revoked else "")
        console.print(table)


@keys_app.command("revoke")
def revoke_api_key(key_id: Annotated[int, typer.Argument(help="The key's id, from keys list.")]) -> None:
    """Revoke an API key: every request made with it is refused (401) from now on, replays included."""
    with clear_errors():
        from api.platform.security.keys import revoke_key
        from api.platform.store.engine import make_engine

        name = revoke_key(make_engine(settings().database_url), key_id)
        console.print(f"Revoked key {key_id} ({name})")


@users_app.command("add")
def add_user(username: Annotated[str, typer.Argument(help="The name they sign in with (not their real name "
                                                          "where a pseudonym will do).")],
             role: RoleOption, councils: CouncilsOption = "", providers: ProvidersOption = "",
             password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from "
                                                          "standard input instead of asking.")] = False) -> None:
    """Add a person who signs in with a password (kept only as a scrypt hash) for an hour-long token."""
    with clear_errors():
        from api.platform.security.people import add_user as store_user
        from api.platform.store.engine import make_engine

        scope = _checked_scope(role, councils)
        provider_ids = _checked_providers(role, providers)
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        store_user(make_engine(settings().database_url), username, password, role, scope, provider_ids)
        console.print(f"Added {username} ({role}); they sign in with POST /v1/token")


@users_app.command("disable")
def disable_user(username: Annotated[str, typer.Argument(help="Who may no longer sign in.")]) -> None:
    """Stop a person signing in; their tokens stop working at once."""
    with clear_errors():
        from api.platform.security.people import disable_user as store_disable
        from api.platform.store.engine import make_engine

        store_disable(make_engine(settings().database_url), username)
        console.print(f"Disabled {username}")


@users_app.command("password")
def change_password(username: Annotated[str, typer.Argument(help="Whose password to change.")],
                    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the new password "
                                                                 "from standard input instead of asking.")] = False
                    ) -> None:
    """Give a person a new password; every session they hold (pages and tokens) ends at once."""
    with clear_errors():
        from api.platform.security.people import change_password as store_password
        from api.platform.store.engine import make_engine

        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
        ended = store_password(make_engine(settings().database_url), username, password)
        console.print(f"Changed the password of {username}; ended {ended} session(s)")
