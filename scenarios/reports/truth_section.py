"""The report's section on where each child lands against SEN2, child by child (``scenarios.calibration``)."""

import html

from core.vocabulary import NEED_WORDS


def truth_section(kpis: dict) -> str:
    """Per-child agreement, need mix by group and residential share beside SEN2's, with the parameters that move
    them; empty for a run whose cohort was not drawn from SEN2."""
    truth = kpis.get("truth")
    if not truth:
        return ""
    groups = "".join(f"<tr><td>{html.escape(group.replace('_', ' '))}</td><td>{share:.1%}</td></tr>"
                     for group, share in truth["agreement_by_group"].items())
    parts = [
        "<h2>Child by child: placed where SEN2 has them?</h2>",
        f"<p>{truth['per_child_agreement']:.1%} of the children are placed in the group of setting SEN2 counts them "
        f"in today (the type of placement each was drawn from); {truth['per_child_exact_kind_agreement']:.1%} in "
        "the very kind.</p><table><tr><th>drawn from</th><th>placed in the same group</th></tr>" + groups +
        "</table>"]
    for group, mix in truth.get("need_mix", {}).items():
        rows = "".join(
            f"<tr><td>{html.escape(NEED_WORDS.get(row['need'], row['need']))}</td><td>{row['run_share']:.1%}</td>"
            f"<td>{row['sen2_share']:.1%}</td><td>{row['difference_points']:+.1f}</td></tr>"
            for row in mix["needs"] if row["held_to_target"])
        parts.append(f"<h3>Needs of the {mix['children']:,} children in {html.escape(group.replace('_', ' '))} "
                     f"settings (largest gap {mix['largest_gap_points']:.1f} points)</h3><table><tr><th>primary need "
                     "(over 5% in SEN2)</th><th>this allocation</th><th>SEN2</th><th>difference (points)</th></tr>"
                     f"{rows}</table>")
    residential = truth.get("residential")
    if residential:
        parts.append(
            f"<p>Residential placements: {residential['run_share']:.2%} of the children, against SEN2's "
            f"{residential['sen2_share']:.2%} ({residential['difference_points']:+.2f} points); of the "
            f"{residential['needing_one']:,} who need one, {residential['placed_where_boarding_known']:,} are placed "
            f"where boarding is known and {residential['placed_where_boarding_not_published']:,} where it is not "
            "published (their sentence says to ask the setting).</p>")
    parameters = "".join(
        f"<li>{html.escape(measure.replace('_', ' '))}: " + "; ".join(html.escape(item) for item in items) + "</li>"
        for measure, items in truth["parameters"].items())
    parts.append(f"<p>What moves these figures:</p><ul>{parameters}</ul>")
    return "".join(parts)
