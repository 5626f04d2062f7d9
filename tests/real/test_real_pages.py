"""The planner's journey in a real browser on the real open data: the forecast with a fan chart per council, the
capacity plan and its sweep from a form as a job (progress, the sites by name, the map, the sweep explained), and
the 0-25 dashboard beside the region and England; each page checked by axe-core (WCAG 2.2 AA) and for requests to
any host but the app. Skipped where the data is absent."""

import threading
from types import SimpleNamespace

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from api.app import create_app
from api.platform.jobs.worker import run_worker
from api.platform.security.people import add_user
from api.platform.store.models import Job
from api.settings import Settings
from tests.helpers.browser import (
    PASSWORD,
    Findings,
    Served,
    check_page,
    chrome,
    leaflet_in_frame,
    need_browser,
    press,
    sign_in,
)

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
    url = f"sqlite:///{folder / 'store.db'}"
    app = create_app(Settings(database_url=url, data=data_dir, cache=folder / "cache", requests_per_minute=100_000,
                              ap_history=history))
    add_user(app.state.engine, "planner-ne", PASSWORD, "planner", NORTH_EAST)
    server = Served(app)
    yield SimpleNamespace(base=server.base, port=server.port, app=app)
    server.stop()


def follow_the_job(served, driver, heading: str, limit_s: float = 1_200) -> None:  # type: ignore[no-untyped-def]
    """Run the queued job with a worker in this process (the worker as its own process is tested on the demo, in
    tests/web), failing at once with the job's state where it ends badly; then wait for the job's page to show
    ``heading`` by itself (it refreshes when the job ends)."""
    worker = threading.Thread(target=run_worker, args=(served.app.state.engine, served.app.state.settings),
                              kwargs={"once": True}, daemon=True)
    worker.start()
    worker.join(limit_s)
    with served.app.state.sessions() as session:
        job = session.scalars(select(Job).order_by(Job.created_at.desc())).first()
        state = None if job is None else (job.status, job.progress, job.error)
    assert not worker.is_alive() and state is not None and state[0] == "succeeded", f"the job: {state}"
    WebDriverWait(driver, 60, poll_frequency=1).until(
        lambda d: d.find_elements(By.XPATH, f"//h2[text()='{heading}']"),
        message=f"the job succeeded but its page did not show its results by itself: {driver.current_url}")


def test_the_planners_journey_on_the_open_data(served, tmp_path):
    driver, findings, port = chrome(tmp_path / "profile"), Findings(), served.port
    try:
        sign_in(driver, served.base, "planner-ne")
        driver.get(f"{served.base}/planning")  # prepared in the background: the page shows it when it is ready
        charts = WebDriverWait(driver, 120, poll_frequency=1).until(
            lambda d: len(d.find_elements(By.CSS_SELECTOR, "img.pw-chart")) == len(NORTH_EAST)
            and d.find_elements(By.CSS_SELECTOR, "img.pw-chart"))
        assert len(charts) == len(NORTH_EAST) and "Hartlepool" in charts[0].get_attribute("alt")
        check_page(driver, findings, "real-01-forecast", port)
        driver.get(f"{served.base}/planning/jobs/new")
        check_page(driver, findings, "real-02-plan-form", port)
        driver.find_element(By.ID, "max_sites").send_keys("3")
        driver.find_element(By.ID, "sweep_draws").send_keys("1")
        press(driver, "#start-plan")
        check_page(driver, findings, "real-03-plan-job", port)  # the job's page, following its progress
        follow_the_job(served, driver, "The sweep, and why the plan differs")
        sites = driver.find_elements(By.CSS_SELECTOR, "table:first-of-type tbody th[scope=row]")
        assert sites and all(not site.text.endswith("-unit") and not site.text.isdigit() for site in sites)
        drawn = leaflet_in_frame(driver)
        assert drawn["leaflet"] and drawn["shapes"] > 0 and drawn["tiles"] == 0
        check_page(driver, findings, "real-04-plan-and-sweep", port)
        driver.get(f"{served.base}/dashboard?council=E08000021")
        WebDriverWait(driver, 120, poll_frequency=1).until(lambda d: d.find_elements(By.ID, "neighbours"))
        table = driver.find_element(By.TAG_NAME, "table").text
        assert "Newcastle upon Tyne" in table and "North East" in table and "England" in table
        tables = [element.text for element in driver.find_elements(By.TAG_NAME, "table")]
        flows = next((text for text in tables if "Alternative provision flows" in text), "")
        assert "2025/26 3 1 1" in flows, tables  # 3 in, 1 back, 1 on
        assert any("EHC plans by age band" in text and "Under 5" in text and "20 to 25" in text for text in tables)
        trend = driver.find_element(By.CSS_SELECTOR, "#trend + img.pw-chart").get_attribute("alt")
        assert "as an index of 2019" in trend and "Newcastle upon Tyne" in trend and "North East" in trend
        neighbours = next(text for text in tables if "nearest councils" in text)
        assert neighbours.count("\n") == 12  # the caption, the header, Newcastle and its ten neighbours
        assert "not the DfE's" in driver.find_element(By.CSS_SELECTOR, "#neighbours + .govuk-inset-text").text
        check_page(driver, findings, "real-05-dashboard", port)
    finally:
        driver.quit()
    assert {name: urls for name, urls in findings.foreign.items() if urls} == {}
    assert {name: found for name, found in findings.problems.items() if found} == {}


def test_the_pages_say_their_figures_are_being_prepared_and_show_them_by_themselves(served, tmp_path):
    """While the background thread is busy the forecast and the dashboard say so (axe clean), and each shows its
    figures by itself once they are ready, with no reload."""
    import threading

    from api.web.preparing import Preparer

    busy, gates, kept = Preparer(), [threading.Event(), threading.Event()], served.app.state.preparer
    served.app.state.preparer = busy
    driver, findings, port = chrome(tmp_path / "profile"), Findings(), served.port
    try:
        sign_in(driver, served.base, "planner-ne")
        for gate, (url, name, ready) in zip(gates, (
                (f"{served.base}/planning", "real-06-forecast-being-prepared", "img.pw-chart"),
                (f"{served.base}/dashboard?council=E08000021", "real-07-dashboard-being-prepared", "#neighbours")),
                strict=True):
            busy.start(f"something before {name}", lambda gate=gate: gate.wait(120))  # keeps the thread busy
            driver.get(url)
            assert "being prepared" in driver.find_element(By.CSS_SELECTOR, "[role=status]").text
            check_page(driver, findings, name, port)
            gate.set()
            WebDriverWait(driver, 120, poll_frequency=1).until(lambda d, css=ready: d.find_elements(By.CSS_SELECTOR,
                                                                                                     css))
    finally:
        for gate in gates:
            gate.set()
        served.app.state.preparer = kept
        driver.quit()
    assert {name: found for name, found in findings.problems.items() if found} == {}
