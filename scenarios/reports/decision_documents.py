"""The family's decision letter, the consultation letters to settings, and the tribunal bundle, made from the decision
record (Jinja2; PDF by WeasyPrint).

The letter is short and plain (Flesch-Kincaid grade 6 or under, names left out, measured by ``readability``): the
decision and the setting named; why, in the officer's words; what happened to each setting the parents asked for and
why; what happens next; how to challenge it (mediation and when it is not needed, the SEND Tribunal's time limits,
that the tribunal decides afresh); SENDIASS, the mediation adviser and the council's SEND team; signed by the officer
by name, job title and authority. The list offered is its annex, with the setting named in it. Dates are written as
people write them ("7 December 2026").

The bundle is indexed with page numbers and paginated: A, the decision letters in order, each exactly as sent; B, the
consultation letters and every reply; C, the officers' notes and reasons, with the statutory tests, warnings and
overrides; D, the mediation records and tribunal orders behind each reconsideration; and, once, the package list and
the settings compared, and the record's hashes and data publications.
"""

from calendar import monthrange
from datetime import date, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from core.vocabulary import (
    CANNOT_MEET_WORDS,
    MEDIATION_OUTCOME_WORDS,
    RECONSIDERATION_WORDS,
    TRIBUNAL_OUTCOME_WORDS,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"
_ENVIRONMENT = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                           undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
REPLY_WORDS = {"can_meet": "can meet the needs", "no_reply": "did not reply by the deadline", None: "no reply yet"}
TEST_NAMES = {"named": "named", "unsuitable": "unsuitable (age, ability, aptitude or SEN)",
              "incompatible_efficient_education": "incompatible with the efficient education of others",
              "incompatible_efficient_use_of_resources": "incompatible with the efficient use of resources"}


def long_date(value: date | datetime | str | None) -> str:
    """A date as people write it: 7 December 2026."""
    if value is None or value == "":
        return ""
    day = datetime.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day} {day:%B %Y}"


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day where it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def money(value: object) -> str:
    return f"£{float(value):,.0f}" if isinstance(value, int | float) else "not known"  # type: ignore[arg-type]


def reach(contact: dict) -> str:
    """How to reach a contact, in one line: phone, e-mail, website, address."""
    parts = [f"Phone {contact['phone']}" if contact.get("phone") else "",
             f"e-mail {contact['email']}" if contact.get("email") else "",
             f"website {contact['website']}" if contact.get("website") else "",
             ", ".join(contact.get("address") or ())]
    return ". ".join(part for part in parts if part) + "."


def reply_words(reply: str | None, reason: str | None) -> str:
    if reply == "cannot_meet":
        return "cannot meet the needs: " + CANNOT_MEET_WORDS.get(reason or "other", "")
    return REPLY_WORDS.get(reply, str(reply))


_ENVIRONMENT.globals.update(long_date=long_date, money=money, reach=reach, reply_words=reply_words,
                            test_names=TEST_NAMES, mediation_words=MEDIATION_OUTCOME_WORDS,
                            tribunal_words=TRIBUNAL_OUTCOME_WORDS)


def _journey(minutes: object) -> str:
    return f"about {float(minutes):.0f} minutes" if isinstance(minutes, int | float) else "not known"


def letter_annex(record: dict) -> list[dict]:
    """The annex's rows: every setting offered, in the list's order, with the setting named among them (added, and
    marked, where it is not on the list)."""
    named = record["named_setting"]["provider_id"]
    rows = [{"name": entry["name"], "kind_words": entry["kind_words"], "journey": _journey(entry["travel_minutes"]),
             "named": entry["provider_id"] == named} for entry in record["offered"]]
    if not any(row["named"] for row in rows):
        rows.append({"name": record["named_setting"]["name"] + " (not on the list)",
                     "kind_words": record["named_setting"].get("kind_words"), "journey": "see our reasons",
                     "named": True})
    return rows


def decision_letter(record: dict) -> str:
    """The family's letter for one version of a decision, as a self-contained HTML page."""
    decided = datetime.fromisoformat(record["decided_at"]).date()
    reconsideration = record.get("reconsideration") or {}
    order = reconsideration.get("tribunal_order") or {}
    return _ENVIRONMENT.get_template("decision_letter.html.j2").render(
        record=record, decided_on=long_date(decided), appeal_by=long_date(add_months(decided, 2)),
        previous_on=long_date(reconsideration.get("previous_decided_at")),
        reconsideration_words=RECONSIDERATION_WORDS.get(reconsideration.get("reason", ""), ""),
        ordered=order.get("ordered_provider_id") == record["named_setting"]["provider_id"] if order else False,
        package_names=" and ".join(package["name"] for package in record["packages"]),
        annex=letter_annex(record), footer=f"Letter of {long_date(decided)}, reference "
        f"{record['case_reference'] or record['decision_id'][:8]}")


def letter_inside(html: str) -> str:
    """Everything inside a letter's ``<body>``, as sent (the annex included)."""
    return html.split("<body>", 1)[1].rsplit("</body>", 1)[0]


def letter_body(html: str) -> str:
    """The letter's body without its annex (what a family reads as the letter, and what readability measures)."""
    return letter_inside(html).split('<section class="annex', 1)[0]


def names_in(record: dict) -> list[str]:
    """Every name the letter prints (settings, the council, its contacts, the officers), left out of readability."""
    contacts = record["council_contacts"]
    names = [contacts["name"], *(contacts[key]["name"] for key in ("send_team", "sendiass", "mediation_adviser"))]
    names += [officer["full_name"] for officer in record["officers"].values()]
    names += [officer["job_title"] for officer in record["officers"].values()]
    names += [record["named_setting"]["name"], *(test["name"] for test in record["statutory_tests"])]
    return names + [entry["name"] for entry in record["offered"]]


def consultation_letter(consultation: dict, setting: dict, packages: list[str], contacts: dict) -> str:
    """The letter consulting one setting (s39), from the consultation as stored, as a self-contained HTML page."""
    return _ENVIRONMENT.get_template("consultation_letter.html.j2").render(
        consultation=consultation, setting=setting, packages=packages, contacts=contacts,
        sent_on=long_date(setting["sent_on"]), deadline=long_date(setting["deadline"]),
        footer=f"Consultation of {long_date(setting['sent_on'])}")


def tribunal_bundle(versions: list[dict], check: dict, made_on: date, agreements: list[dict] | None = None) -> str:
    """The bundle of every version, each ``{"record", "hash", "letter", "letter_hash"}`` (the letter as sent), in
    order, with the chain's verification, and the placement agreements signed on it (each with its check), as
    HTML."""
    latest = versions[-1]["record"]
    items = [{**item, "decided_on": long_date(item["record"]["decided_at"]),
              "letter": Markup(letter_inside(item["letter"])),  # noqa: S704 - rendered by our autoescaping template
              "officer": item["record"]["officers"][item["record"]["decided_by"]],
              "reconsideration_words": RECONSIDERATION_WORDS.get(
                  (item["record"].get("reconsideration") or {}).get("reason", ""), "")} for item in versions]
    return _ENVIRONMENT.get_template("tribunal_bundle.html.j2").render(
        versions=items, latest=latest, check=check, made_on=long_date(made_on), agreements=agreements or [],
        reference=latest["case_reference"] or latest["decision_id"][:8], latest_on=items[-1]["decided_on"],
        consultations=_consultations(versions), package_names=" and ".join(p["name"] for p in latest["packages"]),
        wished={wish["provider_id"] for wish in latest["parents_preference"]},
        replies={setting["provider_id"]: reply_words(setting["reply"], setting["reason"])
                 for setting in latest["consultation"]["settings"]},
        footer=f"Tribunal bundle, {latest['council_contacts']['name']}, reference "
        f"{latest['case_reference'] or latest['decision_id'][:8]}")


def _consultations(versions: list[dict]) -> list[dict]:
    """Each consultation the versions rest on, once, with its settings' replies in words and its letters."""
    found: dict[str, dict] = {}
    for item in versions:
        record = item["record"]
        consultation = record["consultation"]
        if consultation["consultation_id"] in found:
            continue
        packages = [package["name"] for package in record["packages"]]
        officers = record["officers"]
        settings = [{**setting, "sent_words": long_date(setting["sent_on"]),
                     "deadline_words": long_date(setting["deadline"]),
                     "replied_words": long_date(setting.get("replied_on")),
                     "considered_words": long_date(setting.get("considered_at")),
                     "reply_words": reply_words(setting["reply"], setting["reason"]),
                     "officer": officers.get(setting["considered_by"] or "", {}).get("full_name",
                                                                                   setting["considered_by"] or "")}
                    for setting in consultation["settings"]]
        letters = [Markup(letter_inside(consultation_letter(consultation, setting, packages,  # noqa: S704
                                                          record["council_contacts"])))
                   for setting in consultation["settings"]]
        found[consultation["consultation_id"]] = {"sent_on": settings[0]["sent_words"] if settings else "",
                                                  "settings": settings, "letters": letters}
    return list(found.values())


def html_to_pdf(html: str) -> bytes:
    """The HTML as a PDF (WeasyPrint, A4, fonts from the system)."""
    from weasyprint import HTML  # a heavy import, made only when a PDF is asked for

    return HTML(string=html, base_url=str(TEMPLATES)).write_pdf()
