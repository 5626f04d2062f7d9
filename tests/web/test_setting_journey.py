"""A setting's person's journey end to end in a real browser (Chromium, headless) on the embedded demo: signs in
through an identity provider by OpenID Connect (a small provider the test starts),
keeps its vacancies (a need it is not designated for refused without a reason, negative places refused), and a
caseworker's shortlist then says "reported by the setting"; answers the consultation addressed to it, which the
council's officer then considers; accepts the council's offer, which the officer accepts and so locks; signs the
placement agreement once. Another setting's person sees a missing page for the same consultation. Every page is
screenshotted, checked by axe-core for WCAG 2.2 AA, and loads nothing from any host but the app."""

from datetime import date

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from api.app import create_app
from api.platform.security.people import add_user
from api.records.officers import set_officer
from api.settings import Settings
from scenarios.vacancy_evidence import day_words
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
from tests.helpers.decisions import OFFICER
from tests.helpers.oidc_provider import CLIENT_ID, CLIENT_SECRET, TestProvider
from tests.helpers.portal import SIGNATORY
from tests.helpers.store import CHILD, A

ACADEMY, EASTMOOR = 900002, 900011
REASONS = "It replied that it can meet the needs, and it is the nearest special school with a place."


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    need_browser()
    folder = tmp_path_factory.mktemp("setting-pages")
    provider = TestProvider("admissions-2")
    app = create_app(Settings(database_url=f"sqlite:///{folder / 'store.db'}", requests_per_minute=100_000,
                              cache=folder / "cache", oidc_issuer=provider.issuer, oidc_client_id=CLIENT_ID,
                              oidc_client_secret=CLIENT_SECRET))
    engine = app.state.engine
    add_user(engine, "cw-a", PASSWORD, "caseworker", [A])
    add_user(engine, "dm-a", PASSWORD, "decision_maker", [A])
    set_officer(engine, "dm-a", OFFICER, "admin")
    add_user(engine, "admissions-2", PASSWORD, "setting", [], [ACADEMY])
    set_officer(engine, "admissions-2", SIGNATORY, "admin")
    add_user(engine, "admissions-11", PASSWORD, "setting", [], [EASTMOOR])
    server = Served(app)
    token = httpx.post(f"{server.base}/v1/token", json={"username": "dm-a", "password": PASSWORD}).json()
    officer = {"Authorization": f"Bearer {token['access_token']}"}
    assert httpx.post(f"{server.base}/v1/children", json={**CHILD, "packages": ["SP-CI"]},
                      headers=officer).status_code == 201
    made = httpx.post(f"{server.base}/v1/consultations", json={"child_id": CHILD["child_id"],
                                                               "provider_ids": [ACADEMY]}, headers=officer)
    assert made.status_code == 201, made.text
    server.consultation = made.json()["consultation_id"]  # type: ignore[attr-defined]
    server.officer = officer  # type: ignore[attr-defined]
    server.provider = provider  # type: ignore[attr-defined]
    yield server
    server.stop()
    provider.stop()






def test_a_settings_journey(served, driver, findings):
    base, port, consultation = served.base, served.port, served.consultation
    driver.get(f"{base}/sign-in")
    check_page(driver, findings, "s00-sign-in", port)
    press(driver, "#identity_provider")  # to the identity provider and back, signed in
    assert "Signed in as admissions-2 (setting)" in driver.page_source
    driver.get(f"{base}/portal")
    assert "Child A-17" in driver.find_element(By.TAG_NAME, "main").text
    check_page(driver, findings, "s01-portal", port)
    driver.find_element(By.PARTIAL_LINK_TEXT, "Vacancies at").click()
    Select(driver.find_element(By.ID, "need")).select_by_value("PMLD")
    fill(driver, {"vacancies": "2"})
    press(driver, "main form button[type=submit]")
    assert "not designated" in summary(driver)
    check_page(driver, findings, "s02-vacancy-refused", port)
    Select(driver.find_element(By.ID, "need")).select_by_value("ALL")
    fill(driver, {"vacancies": "-1", "reason": ""})
    press(driver, "main form button[type=submit]")
    assert "negative" in summary(driver)
    Select(driver.find_element(By.ID, "need")).select_by_value("ASD")
    Select(driver.find_element(By.ID, "need_level")).select_by_value("2")
    fill(driver, {"vacancies": "3"})
    press(driver, "main form button[type=submit]")
    said = f"reported by the setting on {day_words(date.today())}"
    assert "The vacancies are saved" in driver.page_source and "admissions-2 (the setting)" in driver.page_source
    check_page(driver, findings, "s03-vacancies-saved", port)
    driver.get(f"{base}/portal/consultations/{consultation}/settings/{ACADEMY}")
    check_page(driver, findings, "s04-consultation", port)
    choose(driver, "reply-can_meet")
    fill(driver, {"words": "Our autism base has a place from January, with staff trained in the packages."})
    press(driver, "main form button[type=submit]")
    assert "Your reply is sent to the council" in driver.page_source
    check_page(driver, findings, "s05-consultation-replied", port)
    sign_out(driver)

    sign_in(driver, base, "admissions-11")  # another setting: the same page answers as a missing one
    driver.get(f"{base}/portal/consultations/{consultation}/settings/{ACADEMY}")
    held = driver.find_element(By.TAG_NAME, "main").text
    driver.get(f"{base}/portal/consultations/00000000-0000-0000-0000-000000000000/settings/{ACADEMY}")
    assert held == driver.find_element(By.TAG_NAME, "main").text
    sign_out(driver)

    sign_in(driver, base, "cw-a")
    driver.get(f"{base}/children/{CHILD['child_id']}/shortlist?purpose=assessment&k=30")
    assert f"3 places free ({said})" in driver.find_element(By.TAG_NAME, "main").text
    check_page(driver, findings, "s06-caseworker-shortlist", port)
    sign_out(driver)

    sign_in(driver, base, "dm-a")
    driver.get(f"{base}/consultations/{consultation}")
    assert "In the setting's words" in driver.page_source
    fill(driver, {f"note-{ACADEMY}": "The setting's own reply fits the plan's packages and its base."})
    press(driver, f"#consider-{ACADEMY}")
    assert "The reply is considered" in driver.page_source
    check_page(driver, findings, "s07-officer-considered", port)
    decided = httpx.post(f"{base}/v1/decisions", json={"consultation_id": consultation, "named_provider_id": ACADEMY,
                                                       "reasons": REASONS}, headers=served.officer)
    assert decided.status_code == 201, decided.text
    decision = decided.json()["decision_id"]
    driver.get(f"{base}/decisions/{decision}")
    driver.find_element(By.ID, "offers").click()
    fill(driver, {"annual_fee_gbp": "24500", "start_on-day": "4", "start_on-month": "1",
                  "start_on-year": str(date.today().year + 1), "hours_per_week": "32.5"})
    Select(driver.find_element(By.ID, "package")).select_by_value("SP-CI")
    press(driver, "#make-offer")
    assert "The offer is sent to the setting" in driver.page_source
    check_page(driver, findings, "s08-offer-made", port)
    sign_out(driver)

    sign_in(driver, base, "admissions-2")
    driver.get(f"{base}/portal")
    driver.find_element(By.CSS_SELECTOR, "a[href^='/portal/offers/']").click()
    check_page(driver, findings, "s09-offer", port)
    offer_page = driver.current_url.split("?")[0]
    press(driver, "#accept")
    assert "You accepted the offer" in driver.page_source
    sign_out(driver)

    sign_in(driver, base, "dm-a")
    driver.get(f"{base}/decisions/{decision}/offers")
    press(driver, "#confirm-1")
    assert "it is locked" in driver.page_source and "Accepted by both: locked" in driver.page_source
    check_page(driver, findings, "s10-offer-locked", port)
    sign_out(driver)

    sign_in(driver, base, "admissions-2")
    driver.get(offer_page)
    assert "locked" in driver.find_element(By.ID, "offer-status").text
    assert not driver.find_elements(By.ID, "accept")  # locked: no more answers
    press(driver, "#sign")
    assert "Confirm that you sign" in summary(driver)
    choose(driver, "confirm-yes")
    press(driver, "#sign")
    assert "The agreement is signed" in driver.page_source
    assert "Signed by Amira Haddad, Head of Admissions" in driver.find_element(By.ID, "agreement").text
    check_page(driver, findings, "s11-agreement-signed", port)
    assert not driver.find_elements(By.ID, "sign")  # signed once: no second signature offered
    sign_out(driver)

    sign_in(driver, base, "dm-a")
    driver.get(f"{base}/decisions/{decision}/offers")
    assert "Verified" in driver.find_element(By.ID, "agreement-1").text


def test_no_setting_page_asks_any_host_but_the_app_and_the_identity_provider(served, findings):
    assert len(findings.checked) >= 12
    foreign = {name: [url for url in urls if not url.startswith(served.provider.issuer + "/")]
               for name, urls in findings.foreign.items()}  # signing in goes to the identity provider, by design
    assert {name: urls for name, urls in foreign.items() if urls} == {}


def test_axe_finds_no_serious_or_critical_problem_on_any_setting_page(findings):
    found = {name: [(problem["id"], problem["nodes"]) for problem in problems]
             for name, problems in findings.problems.items() if problems}
    assert found == {}
