"""The scenario library in a real browser (Chromium, headless) on the demo: a commissioner changes a scenario on the
form (a new setting opened), is refused a bad name by field, saves it to the body's library, sees it listed and
downloads its YAML. Each page is screenshotted, checked by axe-core (WCAG 2.2 AA, no serious or critical problem)
and loads nothing from another host; the tests skip where Chromium is absent."""

import yaml
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from tests.helpers.browser import check_page, choose, fill, press, sign_in, sign_out, summary

NEW_SETTING = {"open_urn": "990001", "open_name": "Northvale Autism Base", "open_easting": "420000",
               "open_northing": "570000", "open_age_low": "4", "open_age_high": "11", "open_places": "40"}


def test_a_commissioner_edits_a_scenario_saves_it_to_the_library_and_downloads_it(served, driver, findings):
    base, port = served.base, served.port
    sign_in(driver, base, "co-all")
    driver.get(f"{base}/scenarios")
    choose(driver, "library-demo")
    driver.find_element(By.CSS_SELECTOR, "#change-open summary").click()
    fill(driver, NEW_SETTING)
    Select(driver.find_element(By.ID, "open_kind")).select_by_value("special_academy")
    Select(driver.find_element(By.ID, "open_council")).select_by_value("E06900001")
    choose(driver, "open_needs")
    Select(driver.find_element(By.ID, "close_setting")).select_by_value("900009")
    check_page(driver, findings, "s01-scenario-form", port)
    fill(driver, {"save_name": "n" * 101})
    press(driver, "#save-scenario")
    assert "Enter a name for the scenario" in summary(driver) and "n" * 101 not in driver.page_source
    check_page(driver, findings, "s02-save-refused", port)
    fill(driver, {"save_name": "New autism base", "save_description": "Opens a base for autism; closes one."})
    press(driver, "#save-scenario")
    text = driver.find_element(By.TAG_NAME, "main").text
    assert "The scenario was saved to your body's library." in text
    assert "New autism base" in text and "opens Northvale Autism Base (40 places)" in text
    check_page(driver, findings, "s03-library", port)
    link = driver.find_element(By.PARTIAL_LINK_TEXT, "Download YAML").get_attribute("href")
    body = driver.execute_async_script(
        "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.text()).then(done);", link)
    document = yaml.safe_load(body)
    assert document["name"] == "New autism base" and document["deltas"][0] == {"close": 900009}
    assert document["deltas"][1]["open"]["name"] == "Northvale Autism Base"
    sign_out(driver)


def test_no_library_page_asks_another_host_or_fails_axe(findings):
    assert len(findings.checked) == 3
    assert {name: urls for name, urls in findings.foreign.items() if urls} == {}
    found = {name: [(problem["id"], problem["nodes"]) for problem in problems]
             for name, problems in findings.problems.items() if problems}
    assert found == {}, found
