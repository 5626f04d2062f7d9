"""Parents' preferred settings typed as the caseworker knows them: each item of the preferences field a URN, or a
setting's name (or enough of it to name one setting) found with the setting finder's search; the form goes on with
URNs. An item that names no setting, or several, is an error on the field saying which (by its position, never
echoing what was typed) and what to do."""

import pandas as pd
from starlette.datastructures import FormData

from api.web.setting_search import search_settings


def preferences_by_name(form: FormData, providers: pd.DataFrame) -> tuple[FormData, str | None]:
    """The form with each named preference replaced by its URN, or the form as given and what is wrong."""
    text = str(form.get("preferences", ""))
    items = [item.strip() for item in text.split(",") if item.strip()]
    if not items or all(item.isdigit() for item in items):
        return form, None
    empty = pd.DataFrame(columns=["town", "postcode"], index=pd.Index([], dtype="int64"))
    urns = []
    for number, item in enumerate(items, start=1):
        if item.isdigit():
            urns.append(item)
            continue
        found = search_settings(providers, empty, item, limit=5)
        exact = found[found["name"].str.casefold() == item.casefold()]
        chosen = exact if len(exact) == 1 else found
        if len(chosen) != 1:
            problem = "names no setting" if chosen.empty else "matches more than one setting"
            return form, (f"Preference {number} {problem}: give its URN or more of its name (Find a setting gives "
                          "both), separated by commas")
        urns.append(str(chosen.index[0]))
    kept = [(key, value) for key, value in form.multi_items() if key != "preferences"]
    return FormData([*kept, ("preferences", ", ".join(urns))]), None
