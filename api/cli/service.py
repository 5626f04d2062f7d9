"""The service's commands: ``serve`` the HTTP API, run a ``worker`` for scenario jobs, and the credentials of
the embedded default: ``keys create`` for machine clients, ``users add`` and ``users disable`` for people."""

import sys
from typing import Annotated

import typer

from api.cli.common import DataOption, clear_errors, console, split
from core.errors import PlacewiseError

RoleOption = Annotated[str, typer.Option("--role", help="caseworker, commissioner, planner or admin.")]
CouncilsOption = Annotated[str, typer.Option("--councils", help="ONS codes it acts for, comma-separated.")]


def _checked_scope(role: str, councils: str) -> list[str]:
    from api.service.security.auth import ROLES

    if role not in ROLES:
        raise PlacewiseError(f"--role: use one of {', '.join(ROLES)}")
    chosen = split(councils) or []
    if role != "admin" and not chosen:
        raise PlacewiseError("--councils: everyone but an admin acts for at least one council")
    return chosen


def worker(data: DataOption = None,
           once: Annotated[bool, typer.Option("--once", help="Stop when the queue is empty.")] = False) -> None:
    """Run scenario jobs from the store's queue (PLACEWISE_DATABASE_URL, else placewise.db) until stopped."""
    from api.service.jobs.worker import run_worker
    from api.service.store.models import make_engine

    with clear_errors():
        done = run_worker(make_engine(), data, once=once)
        console.print(f"Ran {done} jobs")


def serve(host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
          port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
          data: DataOption = None) -> None:
    """Start the HTTP API (uvicorn) on the embedded store (PLACEWISE_DATABASE_URL, else placewise.db)."""
    import uvicorn

    from api.service.app import create_app

    with clear_errors():
        uvicorn.run(create_app(data_dir=data), host=host, port=port)


keys_app = typer.Typer(help="API keys for machine clients.", no_args_is_help=True)
users_app = typer.Typer(help="People of the embedded default, who sign in with POST /v1/token.",
                        no_args_is_help=True)


@keys_app.command("create")
def create_api_key(role: RoleOption,
                   name: Annotated[str, typer.Option("--name", help="Who or what holds the key.")],
                   councils: CouncilsOption = "") -> None:
    """Create an API key for a machine client: printed once, kept only as a hash."""
    from api.service.store.models import create_key, make_engine

    with clear_errors():
        console.print(create_key(make_engine(), name[:100], role, _checked_scope(role, councils)))


@users_app.command("add")
def add_user(username: Annotated[str, typer.Argument(help="The name they sign in with (not their real name "
                                                          "where a pseudonym will do).")],
             role: RoleOption, councils: CouncilsOption = "",
             password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from "
                                                          "standard input instead of asking.")] = False) -> None:
    """Add a person who signs in with a password (kept only as a scrypt hash) for an hour-long token."""
    from api.service.security.people import add_user as store_user
    from api.service.store.models import make_engine

    with clear_errors():
        scope = _checked_scope(role, councils)
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        store_user(make_engine(), username, password, role, scope)
        console.print(f"Added {username} ({role}); they sign in with POST /v1/token")


@users_app.command("disable")
def disable_user(username: Annotated[str, typer.Argument(help="Who may no longer sign in.")]) -> None:
    """Stop a person signing in; their tokens stop working at once."""
    from api.service.security.people import disable_user as store_disable
    from api.service.store.models import make_engine

    with clear_errors():
        store_disable(make_engine(), username)
        console.print(f"Disabled {username}")
