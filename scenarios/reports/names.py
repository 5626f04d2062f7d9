"""Names, not codes, for people: councils and settings by name in sentences, and a scenario's changes in words."""

import re
from collections.abc import Mapping

from core.vocabulary import NEED_WORDS

_URN = re.compile(r"\b\d{5,7}\b")


def settings_named(text: str, names: Mapping[int, str]) -> str:
    """The text with every setting's URN that ``names`` knows written as the setting's name."""
    return _URN.sub(lambda found: names.get(int(found.group()), found.group()), text)


def rules_worded(text: str, words: Mapping[str, str]) -> str:
    """The text with each hard rule's code in brackets, such as ``(age_out_of_range)``, in its words."""
    return re.sub(r"\(([a-z_]+)\)", lambda found: f"({words.get(found.group(1), found.group(1).replace('_', ' '))})",
                  text)


def council_label(code: str, names: Mapping[str, str]) -> str:
    return names.get(code, code)


def change_words(delta: Mapping, names: Mapping[int, str]) -> str:
    """One change of a scenario (``deltas:`` entry) in words."""
    def setting(urn: object) -> str:
        try:
            return names.get(int(urn), f"setting {urn}")  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return f"setting {urn}"

    if delta.get("close") is not None:
        return f"Close {setting(delta['close'])}"
    if delta.get("expand"):
        return "; ".join(f"{'Add' if places > 0 else 'Remove'} {abs(places)} places at {setting(urn)}"
                         for urn, places in delta["expand"].items())
    if delta.get("demand_growth"):
        return "; ".join(f"Demand for {NEED_WORDS.get(str(need), need)} {'grows' if rate >= 0 else 'falls'} by "
                         f"{abs(rate):.0%}" for need, rate in delta["demand_growth"].items())
    if delta.get("add_places"):
        added = delta["add_places"]
        return (f"Add {added['places']} places for {NEED_WORDS.get(added['need'], added['need'])} at "
                f"{setting(added['provider_id'])}")
    if delta.get("open"):
        opened = delta["open"]
        return f"Open {opened.get('name', 'a new setting')} with {opened.get('places', 'some')} places"
    if delta.get("quota"):
        return f"Share the places of {setting(delta['quota'].get('provider_id'))} between councils by quota"
    return "A change"
