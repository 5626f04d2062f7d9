"""The groups the reform plan pack's tables are by: the 0-25 age bands, and primary needs in words."""

from core.vocabulary import NEED_WORDS

AGE_BANDS = ((0, 4, "Under 5"), (5, 10, "5 to 10"), (11, 15, "11 to 15"), (16, 19, "16 to 19"), (20, 25, "20 to 25"))
UNKNOWN_AGE = "Age not known"
#: The bands in the order the tables show them.
BAND_ORDER = (*(words for _, _, words in AGE_BANDS), UNKNOWN_AGE)


def age_band(age: object) -> str:
    """The band of an age in whole years ("Age not known" where it is missing or not a number)."""
    try:
        years = int(age)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return UNKNOWN_AGE
    return next((words for low, high, words in AGE_BANDS if low <= years <= high), UNKNOWN_AGE)


def need_words(need: object) -> str:
    """A need's words with a capital, such as "Autism" for ASD."""
    words = NEED_WORDS.get(str(need), str(need))
    return words[:1].upper() + words[1:]
