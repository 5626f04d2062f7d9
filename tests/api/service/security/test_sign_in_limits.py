"""Sign-in slows down per username and per address separately: guesses at a username from one address never hold
back its owner's right password from another address, guesses from a shared address (a council office behind one
NAT) never shut out the people who sign in from there, and a spray across usernames from one address is held to its
limit."""

from fastapi.testclient import TestClient

from api.app import create_app
from api.platform.security import sign_in as users
from api.platform.security.people import add_user
from api.settings import Settings
from tests.helpers.store import A

PASSWORD = "correct horse battery"


def from_address(app, address: str) -> TestClient:
    return TestClient(app, client=(address, 50_000))


def sign_in(client: TestClient, username: str, password: str) -> int:
    return client.post("/v1/token", json={"username": username, "password": password}).status_code


def test_guesses_at_a_username_never_hold_back_its_owner_at_another_address(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'store.db'}"))
    add_user(app.state.engine, "cw-a", PASSWORD, "caseworker", [A])
    attacker, owner = from_address(app, "203.0.113.9"), from_address(app, "198.51.100.20")
    answers = [sign_in(attacker, "cw-a", f"guess number {number}") for number in range(12)]
    assert answers[:users.FREE_FAILURES] == [401] * users.FREE_FAILURES and 429 in answers
    assert sign_in(attacker, "cw-a", PASSWORD) == 429  # the guesser waits, right password or not
    assert sign_in(owner, "cw-a", PASSWORD) == 200  # the owner, at an address that did not guess, is let in


def test_guesses_from_a_shared_address_never_shut_out_the_people_who_sign_in_there(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'store.db'}"))
    for name in ("cw-a", "cw-b"):
        add_user(app.state.engine, name, PASSWORD, "caseworker", [A])
    office = from_address(app, "192.0.2.44")  # one NAT address for the whole office
    assert sign_in(office, "cw-a", PASSWORD) == 200 and sign_in(office, "cw-b", PASSWORD) == 200
    answers = [sign_in(office, f"user-{number}", "Winter2025!") for number in range(60)]  # a spray from inside
    assert answers[:users.ADDRESS_FREE_FAILURES] == [401] * users.ADDRESS_FREE_FAILURES
    assert set(answers[users.ADDRESS_FREE_FAILURES:]) == {429}  # the spray is held back
    assert sign_in(office, "cw-a", PASSWORD) == 200 and sign_in(office, "cw-b", PASSWORD) == 200
