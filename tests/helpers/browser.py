"""A real browser for the pages' tests: Debian's chromium and chromium-driver through Selenium, headless, with a
fresh profile and every host but the app's unresolvable (the network is off for anything else); axe-core injected
from the project's own npm install; each page's requests read from Chrome's performance log."""

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from api.web.assets import AXE

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCREENSHOTS = Path(os.environ.get("PLACEWISE_SCREENSHOTS",
                                  Path(__file__).resolve().parents[2] / "runs" / "screenshots"))
PASSWORD = "correct horse battery staple"


def need_browser() -> None:
    if CHROMIUM is None or DRIVER is None:
        pytest.skip("chromium and chromium-driver are not installed (.ci/run installs them with apt-get)")
    if not AXE.is_file():
        pytest.skip("axe-core is not installed; run make test (npm ci in api/web)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Served:
    """The app under uvicorn in a thread on 127.0.0.1, stopped at the end."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        import uvicorn

        self.port = free_port()
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                break
            time.sleep(0.05)
        self.base = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def start_worker(folder: Path, database_url: str, data: Path | None = None) -> tuple[subprocess.Popen, Path]:
    """``placewise worker`` beside the served app, with the service's settings from the test alone (none of the
    caller's PLACEWISE_* variables); its words go to ``worker.log`` in ``folder``, for a test to show on failure."""
    outside = {name: value for name, value in os.environ.items() if not name.startswith("PLACEWISE_")}
    settings = {"PLACEWISE_DATABASE_URL": database_url, "PLACEWISE_CACHE": str(folder / "cache"),
                **({"PLACEWISE_DATA": str(data)} if data is not None else {})}
    log_path = folder / "worker.log"
    with log_path.open("wb") as log:
        worker = subprocess.Popen([str(Path(sys.executable).parent / "placewise"), "worker"],
                                  env={**outside, **settings}, stdout=log, stderr=subprocess.STDOUT)
    return worker, log_path


def chrome(profile: Path):  # type: ignore[no-untyped-def]
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                     f"--user-data-dir={profile}", "--window-size=1280,1000",
                     "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    driver.set_page_load_timeout(60)
    return driver


@dataclass
class Findings:
    """What the pages showed: axe's serious and critical problems, and requests to any host but the app."""

    problems: dict[str, list] = field(default_factory=dict)
    foreign: dict[str, list[str]] = field(default_factory=dict)
    checked: list[str] = field(default_factory=list)


def requests_made(driver) -> list[str]:  # type: ignore[no-untyped-def]
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def foreign_requests(urls: list[str], port: int) -> list[str]:
    """The requests that went to any host but the app (data: and about: are the page's own)."""
    strange = []
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme in ("data", "about", "blob", "chrome", "chrome-error", "chrome-untrusted", "devtools"):
            continue
        if parts.scheme != "http" or parts.hostname != "127.0.0.1" or parts.port != port:
            strange.append(url)
    return strange


def axe_problems(driver) -> list[dict]:  # type: ignore[no-untyped-def]
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    found = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))"
        ".catch(e => done([{id: 'axe failed', impact: 'critical', help: String(e), nodes: []}]));", WCAG_TAGS)
    return [problem for problem in found if problem["impact"] in ("serious", "critical")]


def check_page(driver, findings: Findings, name: str, port: int) -> None:  # type: ignore[no-untyped-def]
    """Screenshot the page (whole length), run axe on it, and note any request to another host."""
    time.sleep(0.3)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = int(driver.execute_script("return Math.max(document.body.scrollHeight, 600)"))
    driver.set_window_size(1280, min(height + 120, 5000))
    driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
    driver.set_window_size(1280, 1000)
    findings.problems[name] = axe_problems(driver)
    findings.foreign[name] = foreign_requests(requests_made(driver), port)
    findings.checked.append(name)


def gone(element) -> bool:  # type: ignore[no-untyped-def]
    """Whether a page's element has left the document (the next page has loaded)."""
    from selenium.common.exceptions import WebDriverException

    try:
        element.is_enabled()
        return False
    except WebDriverException:  # stale, or no longer in the document
        return True


def press(driver, css: str, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    """Press a button that sends a form, and wait for the next page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    page = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, css).click()
    WebDriverWait(driver, timeout).until(lambda _: gone(page))


def sign_in(driver, base: str, username: str, here: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Sign in on the sign-in page (the one the browser is on, with ``here``)."""
    from selenium.webdriver.common.by import By

    if not here:
        driver.get(f"{base}/sign-in")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    press(driver, "main form button[type=submit]")


def sign_out(driver) -> None:  # type: ignore[no-untyped-def]
    press(driver, "form[action='/sign-out'] button")


def leaflet_in_frame(driver, css: str = "iframe.pw-map") -> dict:  # type: ignore[no-untyped-def]
    """Switch into the map's frame and say whether Leaflet drew there (its container and the councils' shapes)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    frame = driver.find_element(By.CSS_SELECTOR, css)
    driver.switch_to.frame(frame)
    try:
        WebDriverWait(driver, 20).until(lambda d: d.execute_script(
            "return !!window.L && document.querySelectorAll('.leaflet-container path').length > 0"))
        return driver.execute_script("return {leaflet: !!window.L, container: !!document.querySelector("
                                     "'.leaflet-container'), shapes: document.querySelectorAll('path').length,"
                                     "tiles: document.querySelectorAll('.leaflet-tile').length}")
    finally:
        driver.switch_to.default_content()


def fill(driver, values: dict) -> None:  # type: ignore[no-untyped-def]
    """Type each value into the field with that id, clearing it first."""
    from selenium.webdriver.common.by import By

    for name, value in values.items():
        field = driver.find_element(By.ID, name)
        field.clear()
        field.send_keys(value)


def choose(driver, element_id: str) -> None:  # type: ignore[no-untyped-def]
    """Click a radio or checkbox by id (GOV.UK's hide the input behind its label)."""
    from selenium.webdriver.common.by import By

    driver.execute_script("arguments[0].click()", driver.find_element(By.ID, element_id))


def summary(driver) -> str:  # type: ignore[no-untyped-def]
    """The page's error summary's text."""
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CLASS_NAME, "govuk-error-summary").text
