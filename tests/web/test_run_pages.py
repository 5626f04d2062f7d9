"""A commissioner's runs on the pages, without a browser: named on the form, renamed, copied and deleted from the
run's page; bad names refused by field with nothing stored; a stopped run says why it has no results, stops
updating itself, and its downloads say why there is nothing, instead of looping."""

from sqlalchemy import func, select

from api.platform.jobs.worker import run_worker
from api.platform.store.engine import sessions
from api.platform.store.models import Job
from tests.helpers.pages import commissioners_app as _app
from tests.helpers.pages import signed_in as _signed_in


def _count(app) -> int:
    with sessions(app.state.engine)() as session:
        return session.scalar(select(func.count()).select_from(Job))


def test_a_run_is_named_on_the_form_and_bad_names_store_nothing(tmp_path):
    app = _app(tmp_path)
    client, token = _signed_in(app, "co-all")
    for name, label, field in (("x" * 101, "", "run_name"), ("fine", "tab\there", "run_label")):
        refused = client.post("/scenarios", data={"library": "demo", "run_name": name, "run_label": label,
                                                  "csrf_token": token})
        assert refused.status_code == 422 and "govuk-error-summary" in refused.text
        assert f'href="#{field}"' in refused.text and "tab\there" not in refused.text
    assert _count(app) == 0
    made = client.post("/scenarios", data={"library": "demo", "run_name": "Autism growth", "run_label": "draft",
                                           "csrf_token": token}, follow_redirects=False)
    assert made.status_code == 303
    listing = client.get("/scenarios").text
    assert "Autism growth" in listing and "draft" in listing and "Every demo child" in listing


def test_the_owner_renames_copies_and_deletes_a_run_and_a_colleague_cannot(tmp_path):
    app = _app(tmp_path)
    client, token = _signed_in(app, "co-all")
    run = client.post("/scenarios", data={"library": "demo", "csrf_token": token},
                      follow_redirects=False).headers["location"]
    page = client.get(run).text
    assert "Demo sub-region (synthetic)" in page and "Every demo child of school age" in page
    refused = client.post(f"{run}/rename", data={"name": "a\x07b", "label": "", "csrf_token": token})
    assert refused.status_code == 422 and "control characters" in refused.text and "a\x07b" not in refused.text
    assert client.post(f"{run}/rename", data={"name": "Baseline 2026", "label": "cabinet", "csrf_token": token},
                       follow_redirects=False).status_code == 303
    assert "Baseline 2026" in client.get(run).text
    colleague, other_token = _signed_in(app, "co-two")
    assert "Baseline 2026" in colleague.get(run).text and 'id="rename-run"' not in colleague.get(run).text
    assert colleague.post(f"{run}/rename", data={"name": "Mine", "csrf_token": other_token}).status_code == 403
    copy = client.post(f"{run}/clone", data={"csrf_token": token}, follow_redirects=False).headers["location"]
    assert copy != run and "Copy of Baseline 2026" in client.get(copy).text
    client.post(f"{copy}/cancel", data={"csrf_token": token})
    assert client.get(f"{copy}/delete").status_code == 200
    assert colleague.post(f"{copy}/delete", data={"csrf_token": other_token}).status_code == 403
    assert client.post(f"{copy}/delete", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    assert client.get(copy).status_code == 404 and _count(app) == 1


def test_a_stopped_run_says_why_it_has_no_results_and_a_finished_one_downloads(tmp_path):
    app = _app(tmp_path)
    client, token = _signed_in(app, "co-all")
    run = client.post("/scenarios", data={"library": "demo", "csrf_token": token},
                      follow_redirects=False).headers["location"]
    stopped = client.post(f"{run}/cancel", data={"csrf_token": token}).text
    assert "stopped before it had found an answer" in stopped
    assert "updates by itself" not in stopped and "hx-get" not in stopped and "See the results" not in stopped
    for form in ("csv", "xlsx"):
        answer = client.get(f"{run}/results.{form}")
        assert answer.status_code == 409 and "There is nothing to download" in answer.text
        assert f'href="{run}"' in answer.text
    done = client.post("/scenarios", data={"library": "demo", "csrf_token": token},
                       follow_redirects=False).headers["location"]
    run_worker(app.state.engine, app.state.settings, once=True)
    assert "Key figures" in client.get(done).text
    assert client.get(f"{done}/results.csv").headers["content-type"].startswith("text/csv")


def test_the_policy_form_refuses_bad_weights_and_caps_by_field_and_stores_nothing(tmp_path):
    app = _app(tmp_path)
    client, token = _signed_in(app, "co-all")
    for fields, wrong in (({"weight_travel": "-1"}, "weight_travel"), ({"cap_primary": "241"}, "cap_primary"),
                          ({"cap_secondary": "soon"}, "cap_secondary"), ({"budget": "-5"}, "budget"),
                          ({"out_of_area": "150"}, "out_of_area"),
                          ({name: "0" for name in ("weight_suitability", "weight_availability", "weight_travel",
                                                   "weight_performance", "weight_value_for_money")}, "weights")):
        refused = client.post("/scenarios", data={"library": "demo", "csrf_token": token, **fields})
        assert refused.status_code == 422 and f'href="#{wrong}"' in refused.text, fields
        assert "govuk-error-summary" in refused.text
        assert '<details class="govuk-details" id="weights" open>' in refused.text  # the policy shown open
    assert _count(app) == 0
    made = client.post("/scenarios", data={"library": "demo", "csrf_token": token, "weight_travel": "0.5",
                                           "cap_primary": "30", "budget": "£7,000,000", "allow_moves": "yes"},
                       follow_redirects=False)
    assert made.status_code == 303
    with sessions(app.state.engine)() as session:
        policy = session.scalars(select(Job)).one().spec["policy"]
    assert policy["weights"]["travel"] == 0.5 and policy["weights"]["suitability"] == 0.3
    assert policy["travel_caps_minutes"]["primary"] == 30 and policy["travel_caps_minutes"]["secondary"] == 75
    assert policy["budget_gbp"] == 7_000_000 and policy["allow_moves"] is True


def test_a_runs_scenario_downloads_as_yaml_that_runs_again(tmp_path):
    import yaml

    app = _app(tmp_path)
    client, token = _signed_in(app, "co-all")
    run = client.post("/scenarios", data={"library": "demo", "run_name": "Mine", "close_setting": "900009",
                                          "csrf_token": token}, follow_redirects=False).headers["location"]
    answer = client.get(f"{run}/scenario.yaml")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/yaml")
    document = yaml.safe_load(answer.text)
    assert document["name"] == "Mine" and document["deltas"] == [{"close": 900009}]
    again = client.post("/scenarios", files={"upload": ("mine.yaml", answer.content, "application/yaml")},
                        data={"csrf_token": token}, follow_redirects=False)
    assert again.status_code == 303 and _count(app) == 2


def test_prices_capped_on_the_form_run_at_the_services_bands_and_download_without_a_file(tmp_path):
    import yaml

    app = _app(tmp_path)
    client, token = _signed_in(app, "co-all")
    run = client.post("/scenarios", data={"library": "demo", "cap_prices": "yes", "csrf_token": token},
                      follow_redirects=False).headers["location"]
    with sessions(app.state.engine)() as session:
        spec = session.scalars(select(Job)).one().spec
    assert spec["deltas"] == [{"cap_prices": True}] and spec["packages"].endswith("illustrative.yaml")
    run_worker(app.state.engine, app.state.settings, once=True)
    assert "Key figures" in client.get(run).text
    document = yaml.safe_load(client.get(f"{run}/scenario.yaml").text)
    assert "packages" not in document and document["deltas"] == [{"cap_prices": True}]
    again = client.post("/scenarios", files={"upload": ("capped.yaml", yaml.safe_dump(document), "application/yaml")},
                        data={"csrf_token": token}, follow_redirects=False)
    assert again.status_code == 303 and _count(app) == 2
