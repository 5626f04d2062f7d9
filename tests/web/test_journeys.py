"""The caseworker's, commissioner's and planner's journeys end to end in a real browser (Chromium, headless), on
the embedded demo: every page is screenshotted, checked by axe-core for WCAG 2.2 AA (0 serious or critical
problems), and loads nothing from any host but the app, which the last tests assert for all pages together."""

import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.helpers.browser import check_page, fill, leaflet_in_frame, press, sign_in, sign_out

CHILD = {"child_id": "A-17", "easting": "420000", "northing": "570000", "age": "9"}


def submit(driver, css: str = "main form button[type=submit]") -> None:  # type: ignore[no-untyped-def]
    press(driver, css)



def test_the_caseworkers_journey(served, driver, findings):
    base, port = served.base, served.port
    driver.get(f"{base}/children")
    assert "/sign-in" in driver.current_url  # nobody signed in: the sign-in page
    check_page(driver, findings, "01-sign-in", port)
    sign_in(driver, base, "cw-a", here=True)  # and back to the page asked for
    assert driver.find_element(By.TAG_NAME, "h1").text == "Children"
    driver.get(f"{base}/")
    check_page(driver, findings, "02-home-caseworker", port)
    driver.get(f"{base}/children/new")
    fill(driver, {**CHILD, "age": "nine"})
    submit(driver, "main form button[type=submit]")
    summary = driver.find_element(By.CLASS_NAME, "govuk-error-summary")
    assert "Enter the child's age" in summary.text and "nine" not in driver.page_source  # never echoed back
    check_page(driver, findings, "03-child-form-error", port)
    fill(driver, {"age": "9"})
    Select(driver.find_element(By.ID, "primary_need")).select_by_value("SEMH")
    driver.find_element(By.ID, "secondary-ASD").click()
    driver.find_element(By.ID, "preferences").send_keys("900002, 900009")
    submit(driver, "main form button[type=submit]")
    assert driver.current_url.endswith("/children/A-17")
    assert "Northvale special academy 2" in driver.page_source  # preferences by name
    check_page(driver, findings, "04-child-profile", port)
    driver.find_element(By.LINK_TEXT, "Find settings").click()
    check_page(driver, findings, "05-shortlist-purpose", port)
    Select(driver.find_element(By.ID, "purpose")).select_by_value("placement_search")
    submit(driver, "main form button[type=submit]")
    cards = driver.find_elements(By.CLASS_NAME, "govuk-summary-card")
    assert len(cards) >= 3 and "Suits the child's needs" in cards[0].text and "Whole cost a year" in cards[0].text
    assert "The parents' preferences" in driver.page_source
    assert "Near settings that are not listed" in driver.page_source
    drawn = leaflet_in_frame(driver)
    assert drawn["leaflet"] and drawn["container"] and drawn["shapes"] > 0 and drawn["tiles"] == 0
    check_page(driver, findings, "06-shortlist", port)
    query = driver.current_url.split("?", 1)[1]
    driver.get(f"{base}/children/A-17/shortlist/map?{query}")
    check_page(driver, findings, "07-shortlist-map", port)
    kinds = driver.execute_async_script(
        "const done = arguments[arguments.length - 1]; Promise.all(['csv', 'xlsx'].map(f => "
        "fetch('/children/A-17/shortlist.' + f + '?' + arguments[0]).then(r => r.headers.get('content-type'))))"
        ".then(done);", query)
    assert kinds[0].startswith("text/csv") and "spreadsheetml" in kinds[1]
    driver.get(f"{base}/children/A-17/shortlist/family?{query}")
    text = driver.find_element(By.TAG_NAME, "main").text
    assert "score" not in text.lower() and "£" not in text  # plain English, no scoring jargon
    check_page(driver, findings, "08-family-page", port)
    sign_out(driver)
    sign_in(driver, base, "cw-b")
    driver.get(f"{base}/children/A-17")
    held = driver.find_element(By.TAG_NAME, "main").text
    driver.get(f"{base}/children/NOBODY")
    assert held == driver.find_element(By.TAG_NAME, "main").text  # another council's child: as a missing one
    check_page(driver, findings, "09-not-found", port)
    driver.get(f"{base}/children/new")
    driver.execute_script("document.querySelector('main input[name=csrf_token]').remove()")
    submit(driver, "main form button[type=submit]")
    assert "expired or did not come from this service" in driver.page_source
    check_page(driver, findings, "10-form-without-csrf", port)
    sign_out(driver)


def _wait_for_results(driver, timeout: float = 240) -> None:  # type: ignore[no-untyped-def]
    WebDriverWait(driver, timeout, poll_frequency=0.5).until(
        lambda d: d.find_elements(By.XPATH, "//h2[text()='Key figures']"))


def test_the_commissioners_journey(served, driver, findings):
    base, port = served.base, served.port
    sign_in(driver, base, "co-all")
    driver.get(f"{base}/scenarios")
    check_page(driver, findings, "11-scenarios", port)
    driver.find_element(By.ID, "library-demo").click()
    submit(driver, "form[action='/scenarios'] button[type=submit]")
    assert "/scenarios/" in driver.current_url
    if not driver.find_elements(By.XPATH, "//h2[text()='Key figures']"):
        check_page(driver, findings, "12-job-progress", port)
    _wait_for_results(driver)  # htmx polls the progress until the page reloads with the results
    assert "Northvale (demo)" in driver.page_source and "E06900001" not in driver.find_element(By.TAG_NAME, "main").text
    drawn = leaflet_in_frame(driver)
    assert drawn["leaflet"] and drawn["shapes"] > 0 and drawn["tiles"] == 0
    check_page(driver, findings, "13-results", port)
    driver.get(f"{base}/scenarios")
    driver.find_element(By.ID, "library-demo").click()
    Select(driver.find_element(By.ID, "expand_setting")).select_by_index(2)
    driver.find_element(By.ID, "expand_places").send_keys("40")
    Select(driver.find_element(By.ID, "growth_need")).select_by_value("ASD")
    driver.find_element(By.ID, "growth_percent").send_keys("25")
    submit(driver, "form[action='/scenarios'] button[type=submit]")
    _wait_for_results(driver)
    assert "Demand for autism grows by 25%" in driver.page_source
    driver.get(f"{base}/scenarios")
    check_page(driver, findings, "14-scenarios-with-runs", port)
    submit(driver, "form[action='/scenarios/compare'] button")
    assert "Two runs compared" in driver.page_source and "Each extra child placed costs" in driver.page_source \
        or "fewer children" in driver.page_source or "the same number of children" in driver.page_source
    check_page(driver, findings, "15-compare", port)
    driver.get(f"{base}/scenarios")
    driver.find_element(By.ID, "upload").send_keys(__file__)  # a Python file is not a scenario
    submit(driver, "form[action='/scenarios'] button[type=submit]")
    assert "YAML (.yaml) or JSON" in driver.find_element(By.CLASS_NAME, "govuk-error-summary").text
    check_page(driver, findings, "16-upload-refused", port)
    driver.get(f"{base}/vacancies")
    Select(driver.find_element(By.ID, "provider_id")).select_by_index(1)
    driver.find_element(By.ID, "vacancies").send_keys("4")
    submit(driver, "form[action='/vacancies'] button")
    assert "The vacancies are saved." in driver.page_source
    check_page(driver, findings, "17-vacancies", port)
    driver.get(f"{base}/cohorts/sen2")
    submit(driver, "form[action='/cohorts/sen2'] button")  # neither a council nor a file chosen
    assert "Choose the SEN2 person-level return" in driver.find_element(By.CLASS_NAME, "govuk-error-summary").text
    check_page(driver, findings, "18-sen2-import-refused", port)
    sign_out(driver)


def test_the_planners_journey_on_the_demo(served, driver, findings):
    base, port = served.base, served.port
    sign_in(driver, base, "pl-all")
    driver.get(f"{base}/planning")
    check_page(driver, findings, "18-planning", port)
    driver.get(f"{base}/dashboard")
    check_page(driver, findings, "19-dashboard", port)
    driver.get(f"{base}/children")
    assert "You cannot use this page" in driver.page_source  # planners hold no child records
    check_page(driver, findings, "20-forbidden", port)
    sign_out(driver)


def test_the_api_documentation_is_our_own_page_and_swagger_renders_offline(served, driver, findings):
    driver.get(f"{served.base}/v1/docs")  # the project's own page over the OpenAPI: axe is asserted on it below
    assert driver.find_element(By.TAG_NAME, "h1").text == "Placewise API"
    assert len(driver.find_elements(By.CSS_SELECTOR, ".govuk-summary-card")) > 30
    check_page(driver, findings, "21-api-docs", served.port)
    driver.get(f"{served.base}/v1/docs/swagger")  # Swagger UI, for trying requests: its requests still count
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#swagger-ui .opblock"))
    assert driver.find_elements(By.CSS_SELECTOR, ".auth-wrapper .authorize")  # the security schemes
    time.sleep(0.5)
    check_page(driver, findings, "22-swagger-ui", served.port)
    findings.problems.pop("22-swagger-ui")  # Swagger UI's own markup is not ours; /v1/docs is, and is checked


def test_no_page_asks_any_host_but_the_app(findings):
    assert len(findings.checked) >= 18
    assert {name: urls for name, urls in findings.foreign.items() if urls} == {}


def test_axe_finds_no_serious_or_critical_problem_on_any_page(findings):
    found = {name: [(problem["id"], problem["nodes"]) for problem in problems]
             for name, problems in findings.problems.items() if problems}
    assert found == {}, found
