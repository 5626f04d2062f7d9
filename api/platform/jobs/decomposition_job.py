"""A comparison's decomposition as a job, inside the job's own process: run each step's scenario (each change alone,
then the changes in order) and decompose the difference (``scenarios.decomposition``). A cancel stops it at once,
with no result: half a decomposition does not add up."""

from collections.abc import Callable
from pathlib import Path

from matcher.solve_control import SolveControl

JOB_KIND = "decomposition"


def run_decomposition(spec: dict, data_dir: str | None, say: Callable[[str], None], control: SolveControl,
                      max_children: int, cache: Path | None) -> dict:
    """The decomposition of ``spec`` (its ``steps``, ``changes`` and both runs' stored KPIs)."""
    from scenarios.decomposition import decompose
    from scenarios.run import run_scenario
    from scenarios.schema import parse_scenario

    figures: dict[str, list] = {"alone": [None] * len(spec["changes"]), "in_order": [None] * len(spec["changes"])}
    for number, step in enumerate(spec["steps"], start=1):
        say(f"step {number} of {len(spec['steps'])}: {spec['changes'][step['index']]['words'][:120]}")
        document = dict(step["document"])
        if data_dir is not None and document.get("data") != "demo":
            document["data"] = data_dir
        run = run_scenario(parse_scenario(document, Path("step.json")), None, max_children, control=control,
                           cache_dir=cache)
        if control.cancelled:
            raise KeyboardInterrupt
        figures[step["step"]][step["index"]] = run.kpis
    in_order = [kpis for kpis in figures["in_order"][1:]]
    return {"decomposition": decompose(spec["first_kpis"], spec["second_kpis"], spec["changes"], figures["alone"],
                                       in_order)}
