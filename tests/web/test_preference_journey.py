"""A caseworker chooses a parent's preferred settings by name in a real browser (Chromium, headless) on the embedded
demo: the field suggests settings as one types (a combobox: arrow down and Enter pick one, written "Name (URN)"); a
name of several settings typed without picking comes back as radios to choose from, named in the error summary, and
the choice is kept at its place. Every page is screenshotted, checked by axe-core for WCAG 2.2 AA, and loads nothing
from any host but the app."""

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.helpers.browser import check_page, choose, fill, press, sign_in, sign_out, summary


def test_a_caseworker_chooses_preferences_by_name(served, driver, findings):
    base, port = served.base, served.port
    sign_in(driver, base, "cw-a")
    driver.get(f"{base}/children/new")
    fill(driver, {"child_id": "PREF-1", "easting": "420000", "northing": "570000", "age": "9"})
    Select(driver.find_element(By.ID, "primary_need")).select_by_value("ASD")
    field = driver.find_element(By.ID, "preferences")
    assert field.get_attribute("role") == "combobox" and field.get_attribute("aria-expanded") == "false"
    field.send_keys("eastmoor sen")
    listbox = driver.find_element(By.ID, "preferences-suggestions")
    WebDriverWait(driver, 10).until(lambda _: listbox.is_displayed() and "Eastmoor sen unit 17" in listbox.text)
    assert field.get_attribute("aria-expanded") == "true"
    field.send_keys(Keys.ARROW_DOWN)
    assert field.get_attribute("aria-activedescendant") == "preferences-suggestions-0"
    check_page(driver, findings, "p01-preference-suggested", port)
    field.send_keys(Keys.ENTER)  # picks the suggestion; the form is not sent
    assert field.get_attribute("value") == "Eastmoor sen unit 17 (900017), " and not listbox.is_displayed()
    field.send_keys("northvale special")
    WebDriverWait(driver, 10).until(lambda _: listbox.is_displayed())
    field.send_keys(Keys.ESCAPE)  # none picked: the server is left to resolve the name
    assert not listbox.is_displayed()
    press(driver, "main form button[type=submit]")
    said = summary(driver)
    assert "Preference 2 could be Northvale" in said and "Northvale special academy 3 (URN 900003)" in said
    assert driver.find_element(By.ID, "preferences").get_attribute("value") == "Eastmoor sen unit 17 (900017)"
    check_page(driver, findings, "p02-preference-to-choose", port)
    options = driver.find_elements(By.CSS_SELECTOR, "#choice-2 input[type=radio]")
    chosen = next(option for option in options if option.get_attribute("value") == "900003")
    choose(driver, chosen.get_attribute("id"))
    press(driver, "main form button[type=submit]")
    shown = driver.find_element(By.TAG_NAME, "main").text
    assert "Child PREF-1" in shown and "Eastmoor sen unit 17" in shown and "Northvale special academy 3" in shown
    check_page(driver, findings, "p03-preferences-saved", port)
    driver.get(f"{base}/children/PREF-1/edit")
    assert driver.find_element(By.ID, "preferences").get_attribute("value") == (
        "Eastmoor sen unit 17 (900017), Northvale special academy 3 (900003)")
    check_page(driver, findings, "p04-preferences-edit", port)
    sign_out(driver)


def test_no_preference_page_asks_any_host_but_the_app(findings):
    assert len(findings.checked) == 4
    assert {name: urls for name, urls in findings.foreign.items() if urls} == {}


def test_axe_finds_no_serious_or_critical_problem_on_the_preference_pages(findings):
    found = {name: [(problem["id"], problem["nodes"]) for problem in problems]
             for name, problems in findings.problems.items() if problems}
    assert found == {}
