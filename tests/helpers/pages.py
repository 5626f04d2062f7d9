"""The pages without a browser: an app on a temporary SQLite store with two commissioners of the demo's councils,
and a signed-in client with its CSRF token."""

import re

from fastapi.testclient import TestClient

from api.app import create_app
from api.platform.security.people import add_user
from api.settings import Settings
from tests.helpers.browser import PASSWORD

COUNCILS = ["E06900001", "E06900002", "E06900003"]


def signed_in(app, username: str) -> tuple[TestClient, str]:  # type: ignore[no-untyped-def]
    client = TestClient(app, base_url="https://testserver")
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/sign-in").text).group(1)
    answer = client.post("/sign-in", data={"username": username, "password": PASSWORD, "csrf_token": token})
    return client, re.search(r'name="csrf_token" value="([^"]+)"', answer.text).group(1)


def commissioners_app(tmp_path, **settings):  # type: ignore[no-untyped-def]
    """The app with ``co-all`` and ``co-two`` (commissioners of the three demo councils) and ``cw-a`` (a caseworker
    of the first)."""
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'store.db'}", **settings))
    add_user(app.state.engine, "co-all", PASSWORD, "commissioner", COUNCILS)
    add_user(app.state.engine, "co-two", PASSWORD, "commissioner", COUNCILS)
    add_user(app.state.engine, "cw-a", PASSWORD, "caseworker", COUNCILS[:1])
    return app

#: The demo's three changes on the scenario form: autism demand grows, a setting expands, another closes.
DEMO_CHANGES = {"expand_setting": "900002", "expand_places": "20", "close_setting": "900009", "growth_need": "ASD",
                "growth_percent": "25"}
