"""The report's section on the baseline: today's placements ("as is") beside the proposed, the hard rules today's
settings break, and the children who move with why (from ``scenarios.baseline``)."""

import html

from matcher.rules import REASON_WORDS
from scenarios.baseline import baseline_rows
from scenarios.run import ScenarioRun

MOVES_SHOWN = 50


def baseline_section(run: ScenarioRun) -> str:
    """The section's HTML, or nothing where the cohort has no current settings."""
    summary = run.kpis.get("baseline")
    if summary is None or run.baseline is None:
        return ""
    rows = "".join(f"<tr><td>{html.escape(words)}</td><td>{today}</td><td>{proposed}</td></tr>"
                   for words, today, proposed in baseline_rows(summary))
    decisions = ", ".join(f"{count:,} {decision}" for decision, count in summary["decisions"].items())
    breaks = "".join(f"<li>{count:,} children: today's setting is {html.escape(REASON_WORDS.get(rule, rule))}</li>"
                     for rule, count in summary["as_is_breaks"].items()) or "<li>none</li>"
    moves = run.baseline[run.baseline["decision"] == "moves"].head(MOVES_SHOWN)
    moved = "".join(
        f"<tr><td>{html.escape(str(row.child_id))}</td><td>{row.current_provider_id}</td>"
        f"<td>{row.proposed_provider_id}</td><td style='text-align:left'>{html.escape(str(row.why))}</td></tr>"
        for row in moves.itertuples())
    return (f"<h2>Today's placements (as is) against the proposed</h2><p>On the {summary['children']:,} children "
            f"placed today at a setting of the register ({summary['not_in_register']:,} more are placed where the "
            f"register does not reach): {decisions}. Today's settings are costed and scored as the run's are; "
            "places are not counted for today.</p><table><tr><th>figure</th><th>as is (today)</th><th>proposed"
            f"</th></tr>{rows}</table><h3>Where today's placements break the hard rules</h3><ul>{breaks}</ul>"
            f"<h3>Children who move, and why (first {MOVES_SHOWN})</h3><table><tr><th>child</th><th>today</th>"
            f"<th>proposed</th><th>why</th></tr>{moved}</table>")
