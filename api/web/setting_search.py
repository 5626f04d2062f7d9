"""Finding a setting by its name, town, postcode or URN, as a caseworker types it: whole words of the name in any
order, the start of a postcode with or without its space, a town, or the URN; best matches first."""

import re

import pandas as pd

MAX_RESULTS = 50
POSTCODE_START = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?( ?[0-9][A-Z]{0,2})?$")


def search_settings(providers: pd.DataFrame, addresses: pd.DataFrame, query: str,
                    limit: int = MAX_RESULTS) -> pd.DataFrame:
    """The settings matching ``query`` (the register's rows joined with their town and postcode), best first: an
    exact URN, then names that start with it, names holding every word, towns, then postcodes that start with it."""
    words = query.strip()
    if not words:
        return providers.iloc[:0].assign(town="", postcode="", rank=0)
    table = providers.join(addresses[["town", "postcode"]], how="left").fillna({"town": "", "postcode": ""})
    name = table["name"].str.casefold()
    folded = words.casefold()
    rank = pd.Series(0, index=table.index)
    if words.isdigit():
        rank = rank.where(table.index != int(words), 100)
    rank = rank.where(~name.str.startswith(folded), rank.clip(lower=50))
    every_word = pd.Series(True, index=table.index)
    for word in folded.split():
        every_word &= name.str.contains(word, regex=False)
    rank = rank.where(~every_word, rank.clip(lower=40))
    rank = rank.where(table["town"].str.casefold() != folded, rank.clip(lower=30))
    compact = words.upper().replace(" ", "")
    if POSTCODE_START.match(words.upper()):
        postcode = table["postcode"].str.upper()
        matches = (postcode.str.split(" ").str[0] == compact if " " not in words and len(compact) <= 4
                   else postcode.str.replace(" ", "").str.startswith(compact))  # NE1 is not NE10
        rank = rank.where(~matches, rank.clip(lower=20))
    found = table.assign(rank=rank)[rank > 0]
    return found.sort_values(["rank", "name"], ascending=[False, True]).head(limit)
