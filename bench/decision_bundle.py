"""The tribunal bundle and the family's letter of a two-version case, measured: the bundle's PDF time and pages, and
each letter's reading grade.

    PYTHONPATH=. .venv/bin/python bench/decision_bundle.py [--repeat 5]

Builds the case of issue 23 through the API on a temporary SQLite store and the embedded demo (decided, then
reconsidered after mediation; ``tests/helpers/decisions.py``), then makes the bundle as PDF ``--repeat`` times
through ``GET /v1/decisions/{id}/bundle`` after a first, cold call (which loads WeasyPrint and the fonts, printed
apart), and prints the median and the slowest against the 5 s target, with the machine's load beside them.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "bench":  # run as a file, bench/api.py would hide api/
    sys.path[0] = str(ROOT)

from api.app import create_app  # noqa: E402
from api.platform.security.keys import create_key  # noqa: E402
from api.settings import Settings  # noqa: E402
from scenarios.reports.decision_documents import letter_body, names_in  # noqa: E402
from scenarios.reports.readability import plain_text, reading_grade, without_names  # noqa: E402
from tests.helpers.decisions import A, auth, decided_case  # noqa: E402

TARGET_S = 5.0


def main(repeat: int) -> None:
    folder = Path(tempfile.mkdtemp())
    client = TestClient(create_app(Settings(database_url=f"sqlite:///{folder / 'store.db'}",
                                            requests_per_minute=100_000)))
    engine = client.app.state.engine
    decision = decided_case(client, engine, versions=2)
    reader = auth(create_key(engine, "bench", "caseworker", [A]))
    started = time.perf_counter()
    client.get(f"/v1/decisions/{decision}/bundle", headers=reader)  # loads WeasyPrint and the fonts once
    cold = time.perf_counter() - started
    seconds, pdf = [], b""
    for _ in range(repeat):
        started = time.perf_counter()
        pdf = client.get(f"/v1/decisions/{decision}/bundle", headers=reader).content
        seconds.append(time.perf_counter() - started)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    load = os.getloadavg()
    print(f"bundle of a two-version case: {pages} pages, indexed; median {statistics.median(seconds):.2f} s, "
          f"slowest {max(seconds):.2f} s over {repeat}, first (cold) {cold:.2f} s (target <= {TARGET_S:.0f} s); load "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")
    versions = client.get(f"/v1/decisions/{decision}", headers=reader).json()["versions"]
    for item in versions:
        html = client.get(f"/v1/decisions/{decision}/letter", params={"version": item["version"]},
                          headers=reader).text
        grade = reading_grade(without_names(plain_text(letter_body(html)), names_in(item["record"])))
        print(f"letter of version {item['version']}: Flesch-Kincaid grade {grade:.1f} (names left out; target <= 6)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    main(parser.parse_args().repeat)
