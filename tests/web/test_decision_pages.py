"""The decision maker's pages without a browser: the whole path by form (package list, consult, replies, notes,
the blocking refusals and the warning's override, a decision, its letter, bundle, mediation and a reconsideration),
every refusal a 422 naming the field and never the value typed, councils kept apart (another council's decision and
consultation answer 404 exactly as missing ones), and each page audited like its API route."""

import re
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from api.platform.security.people import add_user
from api.platform.store.engine import sessions
from api.platform.store.models import AuditEvent
from api.records.officers import set_officer
from api.settings import Settings
from tests.helpers.decisions import (
    CANNOT_DELIVER,
    CHILD,
    OFFICER,
    OTHER_PREFERENCE,
    PASSWORD,
    PREFERRED,
    REASONS,
    SILENT,
)
from tests.helpers.store import A, B

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def signed_in(app, username: str) -> tuple[TestClient, str]:
    client = TestClient(app)
    token = CSRF.search(client.get("/sign-in").text).group(1)
    answer = client.post("/sign-in", data={"username": username, "password": PASSWORD, "csrf_token": token})
    return client, CSRF.search(answer.text).group(1)


def field_errors(html: str) -> set[str]:
    return set(re.findall(r'<li><a href="#([^"]+)">', html.split("govuk-error-summary", 1)[-1].split("</ul>")[0]))


def test_the_decision_makers_path_by_form_with_refusals_by_field(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'store.db'}"))
    engine = app.state.engine
    for username, councils in (("dm-a", [A]), ("dm-b", [B])):
        add_user(engine, username, PASSWORD, "decision_maker", councils)
        set_officer(engine, username, OFFICER, "admin")
    from api.platform.security.keys import create_key

    key = create_key(engine, "case system A", "caseworker", [A])
    assert TestClient(app).post("/v1/children", json=CHILD, headers={"X-API-Key": key}).status_code == 201
    client, token = signed_in(app, "dm-a")
    listed = client.get("/children/A-17/package-list")
    assert listed.status_code == 200 and "Northvale independent special 9" in listed.text
    sent = date.today() - timedelta(days=20)
    made = client.post("/children/A-17/consultations", data={
        "csrf_token": token, "provider_ids": [str(PREFERRED), str(OTHER_PREFERENCE), str(SILENT), str(CANNOT_DELIVER)],
        "sent_on-day": str(sent.day), "sent_on-month": str(sent.month), "sent_on-year": str(sent.year)})
    assert made.status_code == 200 and "/consultations/" in str(made.url)
    consultation = str(made.url).rsplit("/", 1)[1]
    for provider, reply in ((PREFERRED, "can_meet"), (OTHER_PREFERENCE, "can_meet"), (SILENT, "no_reply"),
                            (CANNOT_DELIVER, "can_meet")):
        answer = client.post(f"/consultations/{consultation}/settings/{provider}/reply",
                             data={"csrf_token": token, f"reply-{provider}": reply, f"reason-{provider}": ""})
        assert answer.status_code == 200, answer.text
    phone = client.post(f"/consultations/{consultation}/settings/{PREFERRED}/consider",
                        data={"csrf_token": token, f"note-{PREFERRED}": "Mum rang from 07700 900123 about the reply."})
    assert phone.status_code == 422 and field_errors(phone.text) == {f"note-{PREFERRED}"} and "07700" not in phone.text
    for provider in (PREFERRED, OTHER_PREFERENCE, SILENT, CANNOT_DELIVER):
        assert client.post(f"/consultations/{consultation}/settings/{provider}/consider", data={
            "csrf_token": token, f"note-{provider}": "Read the reply against the plan's packages."}).status_code == 200
    decide = f"/consultations/{consultation}/decide"
    tests = {f"test-{PREFERRED}": "incompatible_efficient_use_of_resources",
             f"reasons-{PREFERRED}": "Both can meet the needs; the independent school costs far more a year.",
             f"test-{OTHER_PREFERENCE}": "named", f"reasons-{OTHER_PREFERENCE}": "It can meet the needs near home."}
    base = {"csrf_token": token, "reasons": REASONS, **tests}
    for named in (SILENT, CANNOT_DELIVER):
        blocked = client.post(decide, data={**base, "named_provider_id": str(named),
                                            f"test-{OTHER_PREFERENCE}": "unsuitable"})
        assert blocked.status_code == 422 and field_errors(blocked.text) == {"named_provider_id"}
    no_reasons = client.post(decide, data={**base, "named_provider_id": str(OTHER_PREFERENCE), "reasons": ""})
    assert no_reasons.status_code == 422 and field_errors(no_reasons.text) == {"reasons"}
    not_a_test = client.post(decide, data={**base, "named_provider_id": str(OTHER_PREFERENCE),
                                           f"test-{PREFERRED}": "cheapest"})
    assert not_a_test.status_code == 422 and field_errors(not_a_test.text) == {f"test-{PREFERRED}"}
    warned = client.post(decide, data={**base, "named_provider_id": str(OTHER_PREFERENCE),
                                       f"test-{PREFERRED}": "unsuitable"})
    assert warned.status_code == 422 and field_errors(warned.text) == {"override_reasons"}
    assert "you found it unsuitable" in warned.text
    decided = client.post(decide, data={**base, "named_provider_id": str(OTHER_PREFERENCE)})
    assert decided.status_code == 200 and "The decision is recorded" in decided.text
    decision_page = str(decided.url).split("?")[0]
    decision = decision_page.rsplit("/", 1)[1]
    assert client.get(f"/decisions/{decision}/letters/1").text.count("Jane Okafor") >= 1
    assert client.get(f"/decisions/{decision}/bundle.pdf").content.startswith(b"%PDF")
    yesterday = date.today() - timedelta(days=1)
    early = client.post(f"/decisions/{decision}/mediation", data={
        "csrf_token": token, "held_on-day": str(yesterday.day), "held_on-month": str(yesterday.month),
        "held_on-year": str(yesterday.year), "mediator": "Northvale Mediation Service", "outcome": "agreed",
        **{f"certificate_on-{part}": str(getattr(date.today(), part)) for part in ("day", "month", "year")}})
    assert early.status_code == 422 and field_errors(early.text) == {"held_on"}

    other, _ = signed_in(app, "dm-b")
    for path in (decision_page, f"/consultations/{consultation}", "/children/A-17/package-list"):
        assert other.get(path).status_code == 404
    assert other.get(decision_page).text == other.get("/decisions/00000000-0000-0000-0000-000000000000").text
    with sessions(engine)() as session:
        events = session.scalars(select(AuditEvent)).all()
    assert {("package_list", "A-17"), ("consult", "A-17"), ("consider", "A-17"), ("decide", "A-17"),
            ("export", "A-17"), ("read", "A-17")} <= {(event.action, event.object_id) for event in events}
    assert [event.actor for event in events if event.action == "refused"].count("dm-b") == 5  # each 404 audited
    assert "07700" not in str([event.detail for event in events])
