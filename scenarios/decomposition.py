"""A comparison decomposed by change: how much of the difference between two runs each change makes, applied alone
to the first run and one after another in order (which adds up to the whole difference).

Two runs can be decomposed where they differ only in their changes (``deltas``) and their ``policy``: the first
run's deltas that the second lacks are taken away (last first), the second's that the first lacks are added in
their order, then the second's policy replaces the first's. Step k's scenario is the first's with changes 1..k
applied; the last step's is the second's own scenario, so, run for run, the steps in order add up to the whole
difference; what a re-run of the second scenario differs from the stored second run by is reported as
``unexplained`` (it is 0 where the solver is deterministic and ends within its limits, as on the demo).
"""

import json
from collections import Counter
from collections.abc import Mapping

from core.errors import PlacewiseError
from matcher.precision import round_value
from scenarios.reports.names import change_words

#: The figures decomposed, in order.
FIGURES = ("annual_cost_gbp", "placement_cost_gbp", "transport_cost_gbp", "placed", "travel_minutes_mean",
           "out_of_area_share")
#: What may differ between two runs for them to be decomposed.
CHANGEABLE = ("deltas", "policy", "name", "description")


def _key(delta: Mapping) -> str:
    return json.dumps(delta, sort_keys=True)


def _only_in(these: list[dict], those: list[dict]) -> list[dict]:
    """The deltas of ``these`` that ``those`` does not hold (as many times as they are extra), in order."""
    spare = Counter(_key(delta) for delta in those)
    extra = []
    for delta in these:
        if spare[_key(delta)]:
            spare[_key(delta)] -= 1
        else:
            extra.append(delta)
    return extra


def decomposition_changes(first: Mapping, second: Mapping, names: Mapping[int, str]) -> list[dict]:
    """The changes that take the first run's scenario to the second's, in order: each ``{"words", "remove" or
    "add" (a delta) or "policy"}``; ``PlacewiseError`` where the runs differ in anything else, or in nothing."""
    differ = sorted(key for key in set(first) | set(second) if key not in CHANGEABLE and first.get(key) !=
                    second.get(key))
    if differ:
        raise PlacewiseError(f"second: the runs differ in {', '.join(differ)}, not only in their changes and policy; "
                             "compare runs of the same councils, cohort and solver", field="second")
    first_deltas, second_deltas = list(first.get("deltas") or []), list(second.get("deltas") or [])
    changes = [{"words": f"Undo: {change_words(delta, names)}", "remove": delta}
               for delta in reversed(_only_in(first_deltas, second_deltas))]
    changes += [{"words": change_words(delta, names), "add": delta} for delta in _only_in(second_deltas,
                                                                                          first_deltas)]
    if (first.get("policy") or {}) != (second.get("policy") or {}):
        changes.append({"words": "The second run's policy", "policy": second.get("policy") or {}})
    if not changes:
        raise PlacewiseError("second: the two runs make the same changes under the same policy; there is nothing to "
                             "decompose", field="second")
    return changes


def _applied(document: Mapping, changes: list[dict]) -> dict:
    """The scenario document with the changes applied in order."""
    deltas = list(document.get("deltas") or [])
    policy = document.get("policy") or {}
    for change in changes:
        if "remove" in change:
            deltas.remove(next(delta for delta in deltas if _key(delta) == _key(change["remove"])))
        elif "add" in change:
            deltas.append(change["add"])
        else:
            policy = change["policy"]
    return {**document, "deltas": deltas, "policy": policy}


def decomposition_documents(first: Mapping, changes: list[dict]) -> list[dict]:
    """The scenarios to run: each change alone on the first, then the first with changes 1..k for every k from 2
    (the last is the second's scenario). Each ``{"step": "alone" or "in_order", "index", "document"}``."""
    steps = [{"step": "alone", "index": number, "document": _applied(first, [change])}
             for number, change in enumerate(changes)]
    steps += [{"step": "in_order", "index": number, "document": _applied(first, changes[:number + 1])}
              for number in range(1, len(changes))]  # the first change in order is the first alone
    return steps


def _figures(kpis: Mapping) -> dict[str, float]:
    """A run's figures as they are shown (whole pounds and children, 0.1 minute, 0.001 of a share), so that the
    differences of the steps in order add up to the whole difference as shown, to the pound."""
    shown: dict[str, float] = {}
    for name in FIGURES:
        value = round_value(name, float(kpis.get(name) or 0.0))
        shown[name] = int(kpis.get(name) or 0) if name == "placed" else float(value)  # type: ignore[arg-type]
    return shown


def decompose(first_kpis: Mapping, second_kpis: Mapping, changes: list[dict], alone: list[Mapping],
              in_order: list[Mapping]) -> dict:
    """The decomposition: each change's difference alone and in order, the total, and what is unexplained (the
    stored second run less the last step's run). ``in_order`` holds the runs with changes 1..k for k from 2: the
    first change in order is the first alone."""
    first, second = _figures(first_kpis), _figures(second_kpis)
    ordered = [_figures(kpis) for kpis in (alone[0], *in_order)]
    rows = []
    for number, change in enumerate(changes):
        before = first if number == 0 else ordered[number - 1]
        rows.append({"change": change["words"],
                     "alone": {name: _figures(alone[number])[name] - first[name] for name in FIGURES},
                     "in_order": {name: ordered[number][name] - before[name] for name in FIGURES}})
    total = {name: second[name] - first[name] for name in FIGURES}
    unexplained = {name: second[name] - ordered[-1][name] for name in FIGURES}
    return {"rows": rows, "total": total, "unexplained": unexplained}
