"""The workbench in a real browser (Chromium, headless) on the demo. A commissioner names a run, renames it, runs a
scenario with changes, compares the two with the difference decomposed by change, downloads the comparison, makes
the reform plan pack, is refused a bad name, and deletes a run; a caseworker finds a setting and reads the family
page. Every page is screenshotted and checked by axe-core (WCAG 2.2 AA, no serious or critical problem) and loads
nothing from any other host."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.helpers.browser import check_page, leaflet_in_frame, press, sign_in, sign_out


def _fill(driver, values: dict) -> None:  # type: ignore[no-untyped-def]
    for name, value in values.items():
        field = driver.find_element(By.ID, name)
        field.clear()
        field.send_keys(value)


def _results(driver, timeout: float = 240) -> str:  # type: ignore[no-untyped-def]
    WebDriverWait(driver, timeout, poll_frequency=0.5).until(
        lambda d: d.find_elements(By.XPATH, "//h2[text()='Key figures']"))
    return driver.current_url.rsplit("/", 1)[1]


def test_the_commissioners_workbench(served, driver, findings):
    base, port = served.base, served.port
    sign_in(driver, base, "co-all")
    driver.get(f"{base}/scenarios")
    driver.find_element(By.ID, "library-demo").click()
    _fill(driver, {"run_name": "x" * 101})
    press(driver, "form[action='/scenarios'] button[type=submit]")
    assert "100 characters or fewer" in driver.find_element(By.CLASS_NAME, "govuk-error-summary").text
    check_page(driver, findings, "w01-run-name-refused", port)
    driver.find_element(By.ID, "library-demo").click()
    _fill(driver, {"run_name": "Today", "run_label": "baseline"})
    press(driver, "form[action='/scenarios'] button[type=submit]")
    first = _results(driver)
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith("Today")
    driver.find_element(By.CSS_SELECTOR, "#cost-basis summary").click()
    check_page(driver, findings, "w02-named-results", port)
    _fill(driver, {"name": "Today, as placed now"})
    press(driver, "#rename-run")
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith("Today, as placed now")
    driver.get(f"{base}/scenarios")
    driver.find_element(By.ID, "library-demo").click()
    _fill(driver, {"run_name": "Growth, expansion and a closure", "expand_places": "20", "growth_percent": "25"})
    Select(driver.find_element(By.ID, "expand_setting")).select_by_value("900002")
    Select(driver.find_element(By.ID, "close_setting")).select_by_value("900009")
    Select(driver.find_element(By.ID, "growth_need")).select_by_value("ASD")
    press(driver, "form[action='/scenarios'] button[type=submit]")
    second = _results(driver)
    driver.get(f"{base}/scenarios")
    assert "Today, as placed now" in driver.page_source and "Growth, expansion and a closure" in driver.page_source
    check_page(driver, findings, "w03-runs-named", port)
    Select(driver.find_element(By.ID, "first")).select_by_value(first)
    Select(driver.find_element(By.ID, "second")).select_by_value(second)
    press(driver, "form[action='/scenarios/compare'] button")
    assert "Capital and payback" in driver.page_source and "points" in driver.page_source
    check_page(driver, findings, "w04-compare", port)
    press(driver, "#explain-difference")
    WebDriverWait(driver, 240, poll_frequency=0.5).until(
        lambda d: d.find_elements(By.XPATH, "//table[caption[contains(., 'change by change')]]"))
    assert "comes from this change: Close" in driver.page_source
    check_page(driver, findings, "w05-compare-decomposed", port)
    kinds = driver.execute_async_script(
        "const done = arguments[arguments.length - 1]; Promise.all(['xlsx', 'csv'].map(f => fetch("
        "'/scenarios/compare.' + f + '?first=' + arguments[0] + '&second=' + arguments[1])"
        ".then(r => r.headers.get('content-type')))).then(done);", first, second)
    assert "spreadsheetml" in kinds[0] and kinds[1].startswith("text/csv")
    driver.get(f"{base}/packs")
    _fill(driver, {"body": "Northvale partnership"})
    Select(driver.find_element(By.ID, "baseline")).select_by_value(first)
    driver.find_element(By.CSS_SELECTOR, f"input[name=actions][value='{second}']").click()
    check_page(driver, findings, "w06-pack-form", port)
    press(driver, "#make-pack")
    assert "Local SEND reform plan pack: Northvale partnership" in driver.page_source
    assert "By age band" in driver.page_source and "Assumptions register" in driver.page_source
    check_page(driver, findings, "w07-pack", port)
    driver.get(f"{base}/scenarios/{first}/delete")
    check_page(driver, findings, "w08-delete-run", port)
    press(driver, "#confirm-delete")
    assert "The run was deleted." in driver.page_source and f"/scenarios/{first}\"" not in driver.page_source
    sign_out(driver)


def test_the_caseworker_finds_a_setting_and_reads_the_family_page(served, driver, findings):
    base, port = served.base, served.port
    sign_in(driver, base, "cw-a")
    driver.get(f"{base}/find-a-setting")
    driver.find_element(By.ID, "q").send_keys("northvale special academy")  # htmx swaps the results in as one types
    WebDriverWait(driver, 20).until(lambda d: "settings found" in d.find_element(By.ID, "finder-results").text)
    check_page(driver, findings, "w09-find-a-setting", port)
    driver.find_element(By.CSS_SELECTOR, "#finder-results a").click()
    WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.XPATH, "//h2[text()='Find out more']"))
    assert "Ofsted reports" in driver.page_source and "Designated for" in driver.page_source
    check_page(driver, findings, "w10-setting", port)
    driver.get(f"{base}/children/new")
    _fill(driver, {"child_id": "F-1", "easting": "420000", "northing": "570000", "age": "9"})
    Select(driver.find_element(By.ID, "primary_need")).select_by_value("ASD")
    press(driver, "main form button[type=submit]")
    driver.get(f"{base}/children/F-1/shortlist/family?purpose=placement_search&k=5")
    text = driver.find_element(By.TAG_NAME, "main").text
    assert "Northvale Council made this list" in text and "Who to contact" in text and "£" not in text
    check_page(driver, findings, "w11-family-page", port)
    sign_out(driver)


def test_the_planner_plans_the_demo_as_a_job(served, driver, findings):
    base, port = served.base, served.port
    sign_in(driver, base, "pl-all")
    driver.get(f"{base}/planning/jobs/new")
    check_page(driver, findings, "w12-plan-form", port)
    _fill(driver, {"max_sites": "2", "run_name": "Two units"})
    press(driver, "#start-plan")
    WebDriverWait(driver, 240, poll_frequency=0.5).until(
        lambda d: d.find_elements(By.XPATH, "//h2[text()='The sites chosen, and whom each serves']"))
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith("Two units")
    drawn = leaflet_in_frame(driver)
    assert drawn["leaflet"] and drawn["shapes"] > 0 and drawn["tiles"] == 0
    check_page(driver, findings, "w13-plan-result", port)
    sign_out(driver)


def test_no_workbench_page_asks_another_host_or_fails_axe(findings):
    assert len(findings.checked) == 13
    assert {name: urls for name, urls in findings.foreign.items() if urls} == {}
    found = {name: [(problem["id"], problem["nodes"]) for problem in problems]
             for name, problems in findings.problems.items() if problems}
    assert found == {}, found
