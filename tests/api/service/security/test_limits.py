"""Limits on what callers send: the body limit counts the bytes received (chunked or not), deep nesting is a clear
4xx and never a 500, parsing runs off the event loop, and the request limit counts a sliding minute in the store,
keeping only the last two minutes."""

import asyncio
import logging
import math

from sqlalchemy import select

from api.platform.security import limits
from api.platform.security.keys import create_key
from api.platform.store.models import RequestCount
from tests.helpers.store import A, auth, snapshot

CSV_HEADER = "child_id,home_council,easting,northing,age,primary_need\n"


def csv_chunks(megabytes: int):
    """A legal children CSV of about ``megabytes`` MB, sent in 64 KB chunks (so with no Content-Length)."""
    yield CSV_HEADER.encode()
    row = 0
    sent = 0
    while sent < megabytes * 1_000_000:
        lines = "".join(f"C-{row + n},{A},420000,570000,9,ASD\n" for n in range(2_000))
        row += 2_000
        sent += len(lines)
        yield lines.encode()


def test_a_chunked_body_over_the_limit_is_refused_and_nothing_is_stored(api):
    client, keys, engine = api
    before = snapshot(engine)
    answer = client.post("/v1/children/import", content=csv_chunks(12),
                         headers={**auth(keys["a"]), "content-type": "text/csv"})
    assert answer.status_code == 413 and f"{limits.MAX_BODY_BYTES:,}" in answer.text
    assert snapshot(engine) == before


def test_a_content_length_that_understates_the_body_changes_nothing(api):
    client, keys, engine = api
    before = snapshot(engine)
    body = b"".join(csv_chunks(2))
    answer = client.post("/v1/children/import", content=iter([body]),
                         headers={**auth(keys["a"]), "content-type": "text/csv"})
    assert answer.status_code == 413
    assert snapshot(engine) == before


def test_deeply_nested_json_and_yaml_are_a_clear_4xx_without_a_traceback(api, caplog):
    client, keys, engine = api
    commissioner = create_key(engine, "commissioner A", "commissioner", [A])
    deep_json = "[" * 50_000 + "]" * 50_000
    deep_yaml = "a: " + "[" * 5_000 + "]" * 5_000
    block_yaml = "".join("  " * level + "k:\n" for level in range(300))
    mapping_json = '{"name": ' + '{"a": ' * 2_000 + "1" + "}" * 2_000 + "}"
    cases = [("/v1/scenarios", deep_json, "application/json", commissioner),
             ("/v1/scenarios", mapping_json, "application/json", commissioner),
             ("/v1/scenarios", deep_yaml, "application/yaml", commissioner),
             ("/v1/scenarios", block_yaml, "application/yaml", commissioner),
             ("/v1/children", mapping_json, "application/json", keys["a"]),
             ("/v1/shortlists", deep_json, "application/json", keys["a"])]
    before = snapshot(engine)
    with caplog.at_level(logging.INFO):
        for path, body, kind, key in cases:
            answer = client.post(path, content=body, headers={**auth(key), "content-type": kind})
            assert answer.status_code in (413, 422), (path, kind, answer.status_code)
            assert "nests deeper" in answer.text, (path, kind)
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert "Traceback" not in caplog.text
    assert snapshot(engine) == before


def test_parsing_and_validation_run_off_the_event_loop(api, monkeypatch):
    """CPU work in a route blocks every other request when it runs on the event loop; it must run in a thread."""
    from api.records import scenario_jobs
    from api.service.routes import children

    client, keys, engine = api
    on_loop: list[bool] = []

    def watched(function):
        def call(*arguments, **named):
            try:
                asyncio.get_running_loop()
                on_loop.append(True)
            except RuntimeError:
                on_loop.append(False)
            return function(*arguments, **named)
        return call

    monkeypatch.setattr(children, "parse_cohort_csv", watched(children.parse_cohort_csv))
    monkeypatch.setattr(scenario_jobs, "parse_scenario", watched(scenario_jobs.parse_scenario))
    body = CSV_HEADER + f"A-1,{A},420000,570000,9,ASD\n"
    assert client.post("/v1/children/import", content=body,
                       headers={**auth(keys["a"]), "content-type": "text/csv"}).status_code == 201
    commissioner = create_key(engine, "commissioner A", "commissioner", [A])
    scenario = {"name": "off the loop", "councils": [A], "cohort": {"synthetic": True}}
    assert client.post("/v1/scenarios", json=scenario, headers=auth(commissioner)).status_code == 202
    assert on_loop == [False, False]


def test_the_request_count_is_a_sliding_minute_kept_in_the_store_for_two_minutes_only(api):
    _, _, engine = api
    counter = limits.RequestCounter(engine, per_minute=3)
    start = 60.0 * 29_000_000  # the start of a minute
    assert [counter.hit("caller", start + second) for second in (1, 2, 3)] == [0, 0, 0]
    assert counter.hit("caller", start + 4) > 0  # the fourth in a minute waits
    # half-way through the next minute, half of the last minute's three (rounded up: two) still count: room for one
    assert counter.hit("caller", start + 90) == 0
    assert counter.hit("caller", start + 90.5) > 0
    for number in range(2_000):  # junk credentials, each seen once
        counter.hit(f"junk-{number}", start + 100)
    counter.hit("caller", start + 185)  # two minutes on: the rows of the minutes before the last are gone
    with engine.connect() as connection:
        minutes = connection.execute(select(RequestCount.minute)).scalars().all()
    assert set(minutes) <= {int(start // 60) + 2, int(start // 60) + 3} and len(minutes) <= 2


def test_two_processes_counting_in_one_store_share_the_limit(api):
    """Two counters on their own engines (as two server processes are) let exactly the limit through between them,
    and each refuses once the other has used the minute up."""
    _, _, engine = api
    one, two = limits.RequestCounter(engine, per_minute=5), limits.RequestCounter(engine, per_minute=5)
    start = 60.0 * 29_000_000
    answers = [(one if number % 2 else two).hit("caller", start + number) for number in range(8)]
    assert answers[:5] == [0] * 5 and all(answer > 0 for answer in answers[5:])
    assert one.engine is not two.engine


def test_the_last_minute_counts_by_its_share_still_within_the_window(api):
    """After a minute of ``previous`` requests, a moment ``into`` the next minute lets through what the sliding window
    leaves: the limit less the last minute's share, rounded up."""
    _, _, engine = api
    per_minute = 10
    start = 60.0 * 29_000_000
    for caller, previous, into in [("a", 10, 0.25), ("b", 7, 0.5), ("c", 4, 0.9), ("d", 10, 0.0), ("e", 0, 0.5)]:
        counter = limits.RequestCounter(engine, per_minute)
        assert [counter.hit(caller, start + 1) for _ in range(previous)] == [0] * previous
        moment = start + 60 + 60 * into
        allowed = sum(counter.hit(caller, moment) == 0 for _ in range(per_minute + 2))
        assert allowed == max(0, per_minute - math.ceil(previous * (1 - into))), caller
