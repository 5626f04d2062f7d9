"""The planner's journey in a real browser on the real open data: the forecast with a fan chart per council, the
capacity plan with its sites by name, the sweep, and the 0-25 dashboard beside the region and England; each page
checked by axe-core (WCAG 2.2 AA) and for requests to any host but the app. Skipped where the data is absent."""

import pytest
from selenium.webdriver.common.by import By

from api.service.app import create_app
from api.service.security.people import add_user
from api.settings import Settings
from tests.helpers.browser import PASSWORD, Findings, Served, check_page, chrome, need_browser, sign_in

NORTH_EAST = ["E06000001", "E06000002", "E06000003", "E06000004", "E06000005", "E06000047", "E06000057",
              "E08000021", "E08000022", "E08000023", "E08000024", "E08000037"]


@pytest.fixture(scope="module")
def served(data_dir, tmp_path_factory):
    need_browser()
    folder = tmp_path_factory.mktemp("real-pages")
    history = folder / "ap-history.csv"  # a council's own AP placements, for the dashboard's AP flows
    history.write_text("placement_id,council,started_on,ended_on,outcome\n"
                       "P1,E08000021,2025-09-08,2025-12-12,returned\nP2,E08000021,2025-09-15,2026-04-01,specialist\n"
                       "P3,E08000021,2026-01-05,,ongoing\n")
    app = create_app(Settings(database_url=f"sqlite:///{folder / 'store.db'}", data=data_dir, cache=folder / "cache",
                              requests_per_minute=100_000, ap_history=history))
    add_user(app.state.engine, "planner-ne", PASSWORD, "planner", NORTH_EAST)
    server = Served(app)
    yield server
    server.stop()


def test_the_planners_journey_on_the_open_data(served, tmp_path):
    driver, findings, port = chrome(tmp_path / "profile"), Findings(), served.port
    try:
        sign_in(driver, served.base, "planner-ne")
        driver.get(f"{served.base}/planning")
        charts = driver.find_elements(By.CSS_SELECTOR, "img.pw-chart")
        assert len(charts) == len(NORTH_EAST) and "Hartlepool" in charts[0].get_attribute("alt")
        check_page(driver, findings, "real-01-forecast", port)
        driver.get(f"{served.base}/planning/plan")
        sites = driver.find_elements(By.CSS_SELECTOR, "tbody th[scope=row]")
        assert sites and all(not site.text.endswith("-unit") and not site.text.isdigit() for site in sites)
        check_page(driver, findings, "real-02-plan", port)
        driver.get(f"{served.base}/planning/sweep")
        assert "of variants" in driver.page_source
        check_page(driver, findings, "real-03-sweep", port)
        driver.get(f"{served.base}/dashboard?council=E08000021")
        table = driver.find_element(By.TAG_NAME, "table").text
        assert "Newcastle upon Tyne" in table and "North East" in table and "England" in table
        flows = driver.find_elements(By.TAG_NAME, "table")[1].text
        assert "Alternative provision flows" in flows and "2025/26 3 1 1" in flows  # 3 in, 1 back, 1 on
        check_page(driver, findings, "real-04-dashboard", port)
    finally:
        driver.quit()
    assert {name: urls for name, urls in findings.foreign.items() if urls} == {}
    assert {name: found for name, found in findings.problems.items() if found} == {}
