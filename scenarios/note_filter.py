"""The note filter: whether free text an officer writes (a note on a setting's reply, the reasons for a decision)
looks as if it holds a person's details, and which kinds; never the details themselves.

Officers' notes and reasons go into the decision record and the tribunal bundle, so they are about the settings and
the law, never the child. Each kind of detail has its own detector, a well-kept library where one exists:

- NHS numbers: ten digits (spaced 3-3-4 or not) that pass the NHS modulus-11 check (``nhs-number``);
- telephone numbers: Google's libphonenumber (``phonenumbers``), UK numbers and international ones;
- e-mail addresses: a candidate ``local@domain`` checked by ``email-validator`` (syntax only, no network);
- postcodes: the UK Government Data Standards Catalogue's postcode pattern, and small-area codes (E01/E02);
- dates: full dates found by ``dateparser`` (figures, or words: "5th March 2016", "the fifth of March 2016"), refused
  where they fall in the child's possible years of birth or two years back or more, or beside words about birth;
- addresses: a house number and a street name ending in a street word ("14 Acacia Avenue"; no well-kept UK address
  finder exists: ``pyap`` misses most British addresses), or "Flat 2";
- names: the names the caller knows (the child's id from the child record, any names a council holds), a title and a
  surname ("Mrs Patel"), and first names from ``gender-guesser``'s dictionary of 60,000 given names where they stand
  as a name (not at the start of a sentence unless a surname follows), except words of the settings', councils' and
  officers' names, which a note may use.

The filter answers the kinds found (``"an NHS number"``), for a message that names them and never echoes the text.
"""

import functools
import re
from collections.abc import Iterable
from datetime import date

from core.errors import PlacewiseError

#: The UK Government Data Standards Catalogue's postcode pattern (spaces optional), and ONS small-area codes.
POSTCODE = re.compile(r"\b(?:GIR ?0AA|(?:[A-PR-UWYZ][0-9][0-9]?|[A-PR-UWYZ][A-HK-Y][0-9][0-9]?|[A-PR-UWYZ][0-9]"
                      r"[A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]) ?[0-9][ABD-HJLNP-UW-Z]{2})\b",
                      re.IGNORECASE)
SMALL_AREA = re.compile(r"\bE0[12]\d{6}\b", re.IGNORECASE)
NHS_CANDIDATE = re.compile(r"(?<![\d-])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\d-])")
EMAIL_CANDIDATE = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
SPELLED_EMAIL = re.compile(r"[\w.]+\s*(?:@|[(\[]\s*at\s*[)\]])\s*[\w-]+\s*(?:\.|[(\[]\s*dot\s*[)\]])\s*\w{2,}",
                           re.IGNORECASE)
STREET_WORDS = ("road", "rd", "street", "st", "lane", "ln", "avenue", "ave", "close", "drive", "dr", "way",
                "crescent", "terrace", "gardens", "court", "place", "grove", "walk", "row", "square", "hill",
                "park", "mews", "view", "rise", "green", "parade", "vale", "wynd", "chase", "croft", "meadow",
                "meadows", "bank", "gate", "fields", "estate", "villas", "cottages", "boulevard")
#: A flat, or a house number and one to three capitalised words ending in a street word ("14 Acacia Avenue").
ADDRESS = re.compile(r"\b(?:(?i:flat|apartment|apt)\s+\d+[a-z]?|\d{1,4}[a-z]?,?\s+(?:[A-Z][\w'-]+\s+){0,2}(?:"
                     + "|".join(word.capitalize() for word in STREET_WORDS) + r"))\b")
TITLES = ("mr", "mrs", "ms", "miss", "mx", "dr", "master", "mister")
TITLE_NAME = re.compile(r"\b(?:" + "|".join(TITLES) + r")\.?\s+[A-Z][a-z'-]+", re.IGNORECASE)
BIRTH_WORDS = re.compile(r"\b(?:born|birth|birthday|d\.?o\.?b\.?|dob)\b", re.IGNORECASE)
ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                 "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
                 "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
                 "nineteenth": 19, "twentieth": 20, "thirtieth": 30}
ORDINAL = re.compile(r"\b(?:(twenty|thirty)[\s-]+)?(" + "|".join(ORDINAL_WORDS) + r")\b", re.IGNORECASE)
WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
#: Words a note about a setting uses that the names dictionary also holds (it lists "Will", "May", "Grace").
COMMON_WORDS = frozenset("""the a an and or but can will may june april august autumn summer winter spring
    grace hope faith joy rose art bill mark sunny sky star royal north south east west saint st church academy
    school college trust head deputy teacher senco send council officer tribunal mediation ofsted local
    authority parent parents carer mum dad""".split())
MONTHS = frozenset("january february march april may june july august september october november december".split())


@functools.cache
def _given_names() -> frozenset[str]:
    """Given names (lower case) of ``gender-guesser``'s dictionary, read once."""
    from gender_guesser.detector import Detector

    return frozenset(Detector(case_sensitive=False).names)


def personal_details(text: str, *, names: Iterable[str] = (), allowed: Iterable[str] = (),
                     child_age: int | None = None, today: date | None = None) -> list[str]:
    """The kinds of personal detail the text looks as if it holds (empty where none), in a fixed order.

    ``names`` are names the caller knows to be the child's (the child's id, any names a council holds), refused
    wherever they appear; ``allowed`` are names a note may use (settings', councils', officers'), whose words are
    never taken for a person's name.
    """
    found = []
    checks = (("a name", lambda: _has_name(text, names, allowed)), ("an NHS number", lambda: _has_nhs(text)),
              ("an e-mail address", lambda: _has_email(text)), ("a phone number", lambda: _has_phone(text)),
              ("a postcode or area code", lambda: bool(POSTCODE.search(text) or SMALL_AREA.search(text))),
              ("an address", lambda: bool(ADDRESS.search(text))),
              ("a date of birth", lambda: _has_birth_date(text, child_age, today or date.today())))
    for kind, check in checks:
        if check():
            found.append(kind)
    return found


def check_note(text: str, field: str, **known: object) -> None:
    """Refuse text that looks as if it holds a person's details, naming the kinds and never the text.

    Raises:
        PlacewiseError: on ``field``, with the kinds found.
    """
    kinds = personal_details(text, **known)  # type: ignore[arg-type]
    if kinds:
        raise PlacewiseError(f"{field}: it looks as if it holds {', '.join(kinds)}; write about the settings, the "
                             "reply and the law only, never a person's details; nothing was stored", field=field)


def _has_nhs(text: str) -> bool:
    import nhs_number

    return any(nhs_number.is_valid("".join(match.groups())) for match in NHS_CANDIDATE.finditer(text))


def _has_email(text: str) -> bool:
    from email_validator import EmailNotValidError, validate_email

    for match in EMAIL_CANDIDATE.finditer(text):
        try:
            validate_email(match.group(0).rstrip("."), check_deliverability=False)
            return True
        except EmailNotValidError:
            continue
    return bool(SPELLED_EMAIL.search(text))


def _has_phone(text: str) -> bool:
    import phonenumbers

    # POSSIBLE, not VALID: Ofcom's drama ranges (07700 900xxx) are someone's number to a reader all the same; a year
    # alone ("2026") is a possible short number, so a match needs the nine digits a UK number has at least.
    matches = phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE)
    return any(sum(character.isdigit() for character in match.raw_string) >= 9 for match in matches)


def _numbered_ordinals(text: str) -> str:
    """Ordinal words as figures ("the twenty-first of March" -> "the 21st of March"), so dates in words are found."""
    def figure(match: re.Match) -> str:
        tens = {"twenty": 20, "thirty": 30}.get((match.group(1) or "").lower(), 0)
        number = tens + ORDINAL_WORDS[match.group(2).lower()]
        suffix = "th" if 10 <= number % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
        return f"{number}{suffix}"

    return ORDINAL.sub(figure, text)


def _has_birth_date(text: str, child_age: int | None, today: date) -> bool:
    from dateparser.search import search_dates

    found = search_dates(_numbered_ordinals(text).replace(" of ", " "), languages=["en"],
                         settings={"REQUIRE_PARTS": ["day", "month", "year"], "DATE_ORDER": "DMY",
                                   "PREFER_DATES_FROM": "past"}) or []
    for _, when in found:
        day = when.date()
        years_back = today.year - day.year - ((today.month, today.day) < (day.month, day.day))
        if BIRTH_WORDS.search(text) or years_back >= 2 or (child_age is not None and
                                                            child_age - 1 <= years_back <= child_age + 1):
            return True
    return bool(BIRTH_WORDS.search(text) and re.search(r"\d{4}|\d{1,2}[/.-]\d{1,2}", text))


def _has_name(text: str, names: Iterable[str], allowed: Iterable[str]) -> bool:
    folded = text.casefold()
    if any(name and re.search(r"(?<!\w)" + re.escape(name.casefold()) + r"(?!\w)", folded) for name in names):
        return True
    if TITLE_NAME.search(text):
        return True
    permitted = {word.casefold() for name in allowed for word in WORD.findall(name)} | COMMON_WORDS | MONTHS
    given = _given_names()
    for sentence in re.split(r"(?<=[.!?;:])\s+|\n+", text):
        words = list(WORD.finditer(sentence))
        for at, match in enumerate(words):
            word = match.group(0)
            if not (word[0].isupper() and word[1:].islower()) or word.casefold() in permitted:
                continue
            if word.casefold() not in given:
                continue
            following = words[at + 1].group(0) if at + 1 < len(words) else ""
            surname = following[:1].isupper() and following.casefold() not in permitted
            if at > 0 or surname:
                return True
    return False
