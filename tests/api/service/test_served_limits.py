"""Limits on the real server (uvicorn, several processes on one port): ``X-Forwarded-For`` is believed only from
the addresses of the ``forwarded_allow_ips`` setting (none by default), so a new value per try does not make a new
client; and every limit is counted once across the server's processes, not once per process."""

import math
import time

import httpx
import pytest

from api.platform.security import sign_in as users
from api.platform.security.keys import create_key
from api.platform.store.engine import make_engine
from tests.helpers.server import served
from tests.helpers.store import A, auth

PER_MINUTE = 20


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("served")
    url = f"sqlite:///{folder / 'store.db'}"
    key = create_key(make_engine(url), "caseworker A", "caseworker", [A])
    with served({"PLACEWISE_DATABASE_URL": url, "PLACEWISE_REQUESTS_PER_MINUTE": str(PER_MINUTE),
                 "PLACEWISE_CACHE": str(folder / "cache")}, workers=2) as base:
        yield base, key


def spray(base: str, tries: int, forwarded: bool) -> list[int]:
    """Wrong passwords for a new username each time, each on a new connection, with a new X-Forwarded-For."""
    answers = []
    for number in range(tries):
        headers = {"X-Forwarded-For": f"198.51.100.{number + 1}"} if forwarded else {}
        with httpx.Client(base_url=base, timeout=60) as client:
            answers.append(client.post("/v1/token", json={"username": f"user-{number}", "password": "Winter2025!"},
                                       headers=headers).status_code)
    return answers


def test_a_new_x_forwarded_for_per_try_is_still_one_client(two_workers):
    base, _ = two_workers
    started = time.monotonic()
    answers = spray(base, 2 * users.ADDRESS_FREE_FAILURES, forwarded=True)
    seconds = time.monotonic() - started
    assert answers[:users.ADDRESS_FREE_FAILURES] == [401] * users.ADDRESS_FREE_FAILURES
    assert answers[users.ADDRESS_FREE_FAILURES] == 429
    # past the free guesses, the address waits 1, 2, 4 ... s after each wrong one: within the spray's time, at most
    # this many more guesses were let through
    extra = answers[users.ADDRESS_FREE_FAILURES:].count(401)
    assert extra <= math.log2(seconds + 1) + 1, (extra, seconds)


def test_the_request_limit_holds_across_two_server_processes(two_workers):
    base, key = two_workers
    answers = []
    for _ in range(2 * PER_MINUTE):
        with httpx.Client(base_url=base, timeout=60) as client:  # a new connection each: both processes answer
            answers.append(client.get("/v1/children", headers=auth(key)).status_code)
    assert answers.count(200) == PER_MINUTE and answers.count(429) == PER_MINUTE


def test_forwarded_addresses_are_believed_from_a_named_proxy(tmp_path):
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with served({"PLACEWISE_DATABASE_URL": url, "PLACEWISE_FORWARDED_ALLOW_IPS": "127.0.0.1",
                 "PLACEWISE_CACHE": str(tmp_path / "cache")}) as base:
        answers = spray(base, users.ADDRESS_FREE_FAILURES + 10, forwarded=True)
    assert answers == [401] * (users.ADDRESS_FREE_FAILURES + 10)  # each a client of its own behind the proxy
