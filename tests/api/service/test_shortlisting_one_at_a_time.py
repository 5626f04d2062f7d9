"""Shortlists in one server process run one at a time: side by side under the GIL they only take turns."""

import threading
import time
from types import SimpleNamespace

from api.records import shortlisting


def test_shortlists_asked_together_run_one_after_another(monkeypatch):
    running, most = [0], [0]
    guard = threading.Lock()

    def shortlist(child, k):
        with guard:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.02)  # long enough for the other threads to arrive while this one runs
        with guard:
            running[0] -= 1
        return "a shortlist"

    monkeypatch.setattr(shortlisting, "requested_child", lambda request, caller, child, child_id: child)
    monkeypatch.setattr(shortlisting, "locate_child", lambda child, inputs: child)
    monkeypatch.setattr(shortlisting, "audit", lambda *arguments: None)
    view = SimpleNamespace(inputs=None, shortlister=SimpleNamespace(shortlist=shortlist))
    child = SimpleNamespace(child_id="C-1", home_council="E06000001")
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(
        shortlisting.shortlist_child(None, None, view, child, None, 5, "placement"))) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 6 and all(answer.shortlist == "a shortlist" for answer in answers)
    assert most[0] == 1
