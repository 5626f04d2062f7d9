"""A capacity plan as a job keeps its own deadline through the solve control: past it, the search stops where it
is and the job's result is the best plan found by then, saying so; with time enough, it searches to the end."""

from api.platform.jobs.plan_job import run_plan_job
from api.web.routes.scenarios import library
from matcher.solve_control import SolveControl


def test_a_plan_job_past_its_deadline_keeps_its_best_plan_and_says_the_search_stopped():
    document = library()["demo-plan"]["document"]
    said: list[str] = []
    stopped = run_plan_job({"job": "plan", "scenario": document}, None, said.append, SolveControl(deadline=0.0))
    complete = run_plan_job({"job": "plan", "scenario": document}, None, said.append, SolveControl())
    assert stopped["plan"]["search"] == "stopped" and stopped["plan"]["sites"] == []
    assert stopped["plan"]["total_cost_gbp"] == stopped["plan"]["baseline_cost_gbp"]
    assert complete["plan"]["search"] == "complete" and complete["plan"]["sites"]
    assert said and all("forecasting" in words for words in said)
