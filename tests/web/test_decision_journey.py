"""The decision maker's journey end to end in a real browser (Chromium, headless) on the embedded demo: the package
list, consulting settings, recording and considering replies (a note with a phone number refused without echo), the
decision form refusing a silent setting and asking for reasons to override a warning, the decision, its letter as
sent, the bundle, mediation and a reconsideration; another council's decision maker sees a missing page. Every page
is screenshotted, checked by axe-core for WCAG 2.2 AA, and loads nothing from any host but the app."""

from datetime import date, timedelta

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from api.app import create_app
from api.platform.security.keys import create_key
from api.platform.security.people import add_user
from api.records.officers import set_officer
from api.settings import Settings
from tests.helpers.browser import (
    PASSWORD,
    Served,
    check_page,
    choose,
    fill,
    need_browser,
    press,
    sign_in,
    sign_out,
    summary,
)
from tests.helpers.decisions import (
    CANNOT_DELIVER,
    CHILD,
    OFFICER,
    OTHER_PREFERENCE,
    PREFERRED,
    REASONS,
    SILENT,
)
from tests.helpers.store import A, B


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    need_browser()
    folder = tmp_path_factory.mktemp("decision-pages")
    app = create_app(Settings(database_url=f"sqlite:///{folder / 'store.db'}", requests_per_minute=100_000,
                              cache=folder / "cache"))
    engine = app.state.engine
    for username, councils in (("dm-a", [A]), ("dm-b", [B])):
        add_user(engine, username, PASSWORD, "decision_maker", councils)
        set_officer(engine, username, OFFICER, "admin")
    server = Served(app)
    import httpx

    key = create_key(engine, "case system A", "caseworker", [A])
    assert httpx.post(f"{server.base}/v1/children", json=CHILD, headers={"X-API-Key": key}).status_code == 201
    yield server
    server.stop()






def test_the_decision_makers_journey(served, driver, findings):
    base, port = served.base, served.port
    sign_in(driver, base, "dm-a")
    driver.get(f"{base}/decisions")
    check_page(driver, findings, "d01-decisions", port)
    fill(driver, {"child_id": "A-17"})
    press(driver, "main form button[type=submit]")
    assert "Package list for child A-17" in driver.find_element(By.TAG_NAME, "h1").text
    check_page(driver, findings, "d02-package-list", port)
    for provider in (SILENT, CANNOT_DELIVER):
        choose(driver, f"consult-{provider}")
    sent = date.today() - timedelta(days=20)
    fill(driver, {"sent_on-day": str(sent.day), "sent_on-month": str(sent.month), "sent_on-year": str(sent.year)})
    press(driver, "main form button[type=submit]")
    assert "Consultation for child A-17" in driver.find_element(By.TAG_NAME, "h1").text
    consultation = driver.current_url.rsplit("/", 1)[1]
    for provider, reply in ((PREFERRED, "can_meet"), (OTHER_PREFERENCE, "can_meet"), (SILENT, "no_reply"),
                            (CANNOT_DELIVER, "can_meet")):
        Select(driver.find_element(By.ID, f"reply-{provider}")).select_by_value(reply)
        press(driver, f"#save-reply-{provider}")
    check_page(driver, findings, "d03-consultation-replies", port)
    fill(driver, {f"note-{PREFERRED}": "Mum rang from 07700 900123 about the reply."})
    press(driver, f"#consider-{PREFERRED}")
    assert "phone number" in summary(driver) and "07700" not in driver.page_source
    check_page(driver, findings, "d04-note-refused", port)
    for provider in (PREFERRED, OTHER_PREFERENCE, SILENT, CANNOT_DELIVER):
        fill(driver, {f"note-{provider}": "Read the reply against the plan's packages."})
        press(driver, f"#consider-{provider}")
    driver.get(f"{base}/consultations/{consultation}/letters/{PREFERRED}")
    assert "section 39 of the Children and Families Act 2014" in driver.page_source
    driver.get(f"{base}/consultations/{consultation}")
    check_page(driver, findings, "d05-consultation-considered", port)
    driver.find_element(By.LINK_TEXT, "Decide").click()
    choose(driver, f"named_provider_id-{SILENT}")
    fill(driver, {"reasons": REASONS})
    choose(driver, f"test-{PREFERRED}-unsuitable")
    fill(driver, {f"reasons-{PREFERRED}": "The class sizes are too large for the plan."})
    choose(driver, f"test-{OTHER_PREFERENCE}-unsuitable")
    fill(driver, {f"reasons-{OTHER_PREFERENCE}": "Its reply came after our review of the plan."})
    press(driver, "main form button[type=submit]")
    assert "did not reply" in summary(driver)
    check_page(driver, findings, "d06-decision-blocked", port)
    choose(driver, f"named_provider_id-{OTHER_PREFERENCE}")
    choose(driver, f"test-{OTHER_PREFERENCE}-named")
    fill(driver, {f"reasons-{OTHER_PREFERENCE}": "It can meet the needs near home."})
    press(driver, "main form button[type=submit]")
    assert "you found it unsuitable" in driver.find_element(By.ID, "warnings").text
    check_page(driver, findings, "d07-decision-warnings", port)
    fill(driver, {"override_reasons": "Its own reply did not know the class sizes the plan now sets out."})
    press(driver, "main form button[type=submit]")
    assert "The decision is recorded" in driver.page_source and "Verified" in driver.page_source
    check_page(driver, findings, "d08-decision", port)
    decision_page = driver.current_url.split("?")[0]
    driver.get(f"{decision_page}/letters/1")
    assert "Dear parent or carer" in driver.page_source and "Northvale SENDIASS" in driver.page_source
    check_page(driver, findings, "d09-letter", port)
    kind = driver.execute_async_script("const done = arguments[arguments.length - 1];"
                                       "fetch(arguments[0]).then(r => done(r.headers.get('content-type')));",
                                       f"{decision_page}/bundle.pdf")
    assert kind == "application/pdf"
    driver.get(decision_page)
    fill(driver, {"mediator": "Northvale Mediation Service"})
    Select(driver.find_element(By.ID, "outcome")).select_by_value("agreed")
    press(driver, "#save-mediation")
    assert "The mediation is recorded" in driver.page_source
    driver.find_element(By.LINK_TEXT, "Decide again").click()
    choose(driver, "reason-mediation")
    Select(driver.find_element(By.ID, "mediation_id")).select_by_index(1)
    choose(driver, f"named_provider_id-{PREFERRED}")
    fill(driver, {"reasons": "Mediation showed the smaller classes are needed; the school can meet the needs."})
    choose(driver, f"test-{PREFERRED}-named")
    fill(driver, {f"reasons-{PREFERRED}": "Agreed at mediation."})
    choose(driver, f"test-{OTHER_PREFERENCE}-incompatible_efficient_education")
    fill(driver, {f"reasons-{OTHER_PREFERENCE}": "Its reply says a full class of eight would be disrupted."})
    check_page(driver, findings, "d10-reconsider-form", port)
    press(driver, "main form button[type=submit]")
    assert "The decision is made again" in driver.page_source
    check_page(driver, findings, "d11-decision-reconsidered", port)
    sign_out(driver)
    sign_in(driver, base, "dm-b")
    driver.get(decision_page)
    held = driver.find_element(By.TAG_NAME, "main").text
    driver.get(f"{base}/decisions/00000000-0000-0000-0000-000000000000")
    assert held == driver.find_element(By.TAG_NAME, "main").text  # another council's: as a missing one
    check_page(driver, findings, "d12-not-found", port)


def test_no_decision_page_asks_any_host_but_the_app(findings):
    assert len(findings.checked) >= 12
    assert {name: urls for name, urls in findings.foreign.items() if urls} == {}


def test_axe_finds_no_serious_or_critical_problem_on_any_decision_page(findings):
    found = {name: [(problem["id"], problem["nodes"]) for problem in problems]
             for name, problems in findings.problems.items() if problems}
    assert found == {}
