"""The pages' background preparation: a result is None while its work runs, then the work's answer; each piece of
work is done once; a failure is raised to the page once and the next visit tries again."""

import threading

import pytest

from api.web.preparing import Preparer


def test_a_result_is_none_until_its_work_is_done_and_the_work_runs_once():
    preparer, gate, calls = Preparer(), threading.Event(), []

    def build() -> str:
        calls.append(1)
        gate.wait(30)
        return "the forecast"

    assert preparer.ready("forecast", build) is None
    assert preparer.ready("forecast", build) is None
    gate.set()
    assert preparer.start("forecast", build).result(30) == "the forecast"
    assert preparer.ready("forecast", build) == "the forecast"
    assert len(calls) == 1


def test_failed_work_is_raised_once_and_tried_again_on_the_next_visit():
    preparer, attempts = Preparer(), []

    def build() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise ValueError("the data folder is being replaced")
        return "the dashboard"

    with pytest.raises(ValueError, match="being replaced"):
        preparer.start("dashboard", build).result(30)
    preparer.start("other", lambda: None).result(30)  # the failure's callback has run by now (one thread, in order)
    assert preparer.start("dashboard", build).result(30) == "the dashboard"
    assert len(attempts) == 2
