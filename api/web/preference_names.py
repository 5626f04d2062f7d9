"""Parents' preferred settings typed as the caseworker knows them (the GOV.UK pattern for choosing from a long list:
a text field the server resolves, a script only helping to type it): each item of the preferences field a URN, a
setting chosen from the suggestions ("Name (URN)"), or a setting's name (or enough of it to name one setting), found
with the setting finder's search; the form goes on with URNs.

Without script, what cannot be resolved comes back by field, never echoing what was typed: an item that names no
setting is an error on the field by its position; an item that names several is its own field (``choice-N``, N its
position), the candidates shown as radios to choose from and named in the error summary, their URNs carried in a
hidden field (``candidates-N``) so that nothing is lost if the form is sent again without a choice. The field then
shows the preferences resolved so far, as "Name (URN)", and a choice goes back in at its position.
"""

import re
from dataclasses import dataclass, field

import pandas as pd
from starlette.datastructures import FormData

from api.web.setting_search import search_settings

MAX_CANDIDATES = 5
CHOSEN = re.compile(r"\((?:URN\s*)?(\d{1,9})\)\s*$", re.IGNORECASE)  # "Name (URN)", as the suggestions give it


@dataclass(frozen=True)
class Candidates:
    """An item that names several settings: its place in the list as typed (``position``) and once the others are
    resolved (``slot``, where the choice goes back in), and the settings it could be (URN and words)."""

    position: int
    slot: int
    options: list[tuple[int, str]]

    @property
    def field(self) -> str:
        return f"choice-{self.slot}"


@dataclass(frozen=True)
class Preferences:
    """The form with the preferences as URNs, or what is wrong by field and the candidates to choose from."""

    form: FormData
    errors: dict[str, str] = field(default_factory=dict)
    choices: list[Candidates] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)


def preference_text(urns: list[int], providers: pd.DataFrame) -> str:
    """The preferences as the field shows them: "Name (URN)" for settings of the register, else the URN."""
    names = providers["name"]
    return ", ".join(f"{str(names[urn]).replace(',', ' ')} ({urn})" if urn in names.index else str(urn)
                     for urn in urns)


def _words(urn: int, row: pd.Series, council_name) -> str:  # type: ignore[no-untyped-def]
    place = row["town"] or council_name(str(row["host_council"]))
    return f"{row['name']}, {place} (URN {urn})"


def _items(form: FormData) -> list[str | int]:
    """The typed items with each choice made on the candidates put back at its position."""
    items: list[str | int] = [item.strip() for item in str(form.get("preferences", "")).split(",") if item.strip()]
    for key in sorted((key for key in form if key.startswith("candidates-")), key=lambda key: int(key[11:] or 0)):
        position, offered = key[11:], str(form.get(key, "")).split()
        chosen = str(form.get(f"choice-{position}", ""))
        if position.isdigit():
            items.insert(min(int(position) - 1, len(items)),
                         int(chosen) if chosen in offered else f"candidates:{' '.join(offered)}")
    return items


def _settings_named(item: str | int, providers: pd.DataFrame, addresses: pd.DataFrame) -> list[int]:
    """The URNs an item may be: one where it names one setting, none or several otherwise."""
    text = str(item)
    if isinstance(item, int) or text.isdigit():
        return [int(text)]
    chosen = CHOSEN.search(text)
    if chosen and int(chosen.group(1)) in providers.index:
        return [int(chosen.group(1))]
    if text.startswith("candidates:"):
        return [int(urn) for urn in text[11:].split() if urn.isdigit() and int(urn) in providers.index]
    found = search_settings(providers, addresses, text, limit=MAX_CANDIDATES + 1)
    exact = found[found["name"].str.casefold() == text.casefold()]
    return [int(urn) for urn in (exact if len(exact) == 1 else found).index]


def resolve_preferences(form: FormData, providers: pd.DataFrame, addresses: pd.DataFrame,
                        council_name) -> Preferences:  # type: ignore[no-untyped-def]
    """Each preference as a URN (see the module); the form with ``preferences`` as URNs where all resolve."""
    places = providers.join(addresses[["town"]], how="left").fillna({"town": ""})
    urns: list[int] = []
    unknown: list[int] = []
    choices: list[Candidates] = []
    for number, item in enumerate(_items(form), start=1):
        offered = _settings_named(item, providers, addresses)
        if len(offered) == 1:
            urns.append(offered[0])
        elif not offered:
            unknown.append(number)
        else:
            options = [(urn, _words(urn, places.loc[urn], council_name)) for urn in offered[:MAX_CANDIDATES]]
            choices.append(Candidates(number, len(urns) + len(choices) + 1, options))
    errors: dict[str, str] = {}
    if unknown:
        which = " and ".join(str(number) for number in unknown)
        errors["preferences"] = (f"Preference {which} {'names' if len(unknown) == 1 else 'name'} no setting: add it "
                                 "again by its URN or more of its name (Find a setting gives both)")
    for choice in choices:
        names = [f"{providers.at[urn, 'name']} (URN {urn})" for urn, _ in choice.options]
        errors[choice.field] = (f"Preference {choice.position} could be {', '.join(names[:-1])} or {names[-1]}: "
                                "choose one")
    kept = [(key, value) for key, value in form.multi_items()
            if key != "preferences" and not key.startswith(("choice-", "candidates-"))]
    text = ", ".join(str(urn) for urn in urns)
    return Preferences(FormData([*kept, ("preferences", text)]), errors, choices, urns)
