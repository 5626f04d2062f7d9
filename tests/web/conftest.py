"""Fixtures of the browser tests: the app served on 127.0.0.1 (a temporary SQLite store, the embedded demo), its
people of each role, a scenario worker beside it, and one headless Chromium for the module."""

import pytest

from api.app import create_app
from api.platform.security.people import add_user
from api.settings import Settings
from tests.helpers.browser import PASSWORD, Findings, Served, chrome, need_browser, start_worker

A, B, C = "E06900001", "E06900002", "E06900003"
PEOPLE = {"cw-a": ("caseworker", [A]), "cw-b": ("caseworker", [B]), "co-all": ("commissioner", [A, B, C]),
          "pl-all": ("planner", [A, B, C])}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    need_browser()
    folder = tmp_path_factory.mktemp("pages")
    url = f"sqlite:///{folder / 'store.db'}"
    app = create_app(Settings(database_url=url, requests_per_minute=100_000, cache=folder / "cache"))
    for username, (role, councils) in PEOPLE.items():
        add_user(app.state.engine, username, PASSWORD, role, councils)
    server = Served(app)
    worker, _ = start_worker(folder, url)
    yield server
    worker.terminate()
    worker.wait(10)
    server.stop()


@pytest.fixture(scope="module")
def driver(served, tmp_path_factory):
    browser = chrome(tmp_path_factory.mktemp("profile"))
    yield browser
    browser.quit()


@pytest.fixture(scope="module")
def findings():
    need_browser()  # the tests that read what the pages showed skip, saying why, where no browser showed them
    return Findings()
