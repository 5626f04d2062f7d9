"""The family page's words: where each figure of free places comes from, in plain English (from the availability
criterion's own sentence, ``matcher.criteria.explain_availability``), and the council's contacts."""

import re

PATTERNS = (
    (re.compile(r"^(\d+) places? free \(reported\)$"),
     "The setting told the council it had {0} free. Places change quickly, so your caseworker will check."),
    (re.compile(r"^(\d+) places? free \(published capacity less pupils on roll\)$"),
     "About {0} may be free. This is worked out from the size the school publishes less the pupils on its "
     "roll, so it may be out of date: your caseworker will check."),
    (re.compile(r"^places not published; about (\d+) free, estimated from pupils on roll$"),
     "The setting does not publish how many places it has. We estimate about {0} may be free from the pupils on "
     "its roll: this is only an estimate, and your caseworker will check."),
)
UNKNOWN = "We do not know whether it has a place free: your caseworker will ask the setting."


def where_places_come_from(sentence: str) -> str:
    """The availability sentence of a shortlist as a family reads it: the figure and where it comes from."""
    text = str(sentence).strip()
    for pattern, words in PATTERNS:
        found = pattern.match(text)
        if found:
            count = int(found.group(1))
            return words.format(f"{count} place" if count == 1 else f"{count} places")
    return UNKNOWN
