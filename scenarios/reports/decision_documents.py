"""The family's decision letter and the tribunal bundle, built from the decision record (Jinja2; PDF by WeasyPrint).

The letter is plain English: what was decided, the settings offered and why, why not the one the parents named
(from the record's weighing and the settings' replies), what each setting said, who decided, and what to do if
the family disagrees. The bundle holds every version of the record: the hash chain and its verification, each
version's list with every setting's scores and reasons, the shortlist given as advice, the preference weighed,
the consultation with each reply's consideration, the policy, the data version, then the latest letter.
"""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from core.vocabulary import CANNOT_MEET_WORDS, RECONSIDERATION_WORDS

TEMPLATES = Path(__file__).resolve().parent / "templates"
_ENVIRONMENT = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                           undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
ROLE_WORDS = {"decision_maker": "an officer with the council's authority to decide placements"}
REPLY_WORDS = {"can_meet": "it can meet your child's needs", "no_reply": "it did not reply by the deadline"}


def decision_letter(record: dict, record_hash: str) -> str:
    """The family's letter for one version of a decision, as a self-contained HTML page."""
    names = {setting["provider_id"]: setting["provider_name"] for setting in record["consultation"]["settings"]}
    names.update({entry["provider_id"]: entry["name"] for entry in record["offered"]})
    replies = {setting["provider_id"]: _reply_words(setting) for setting in record["consultation"]["settings"]}
    reconsideration = record.get("reconsideration") or {}
    return _ENVIRONMENT.get_template("decision_letter.html.j2").render(
        record=record, record_hash=record_hash, footer=f"Decision {record['decision_id'][:8]} v{record['version']}",
        package_names=" and ".join(package["name"] for package in record["packages"]),
        wish_names={wish["provider_id"]: names.get(wish["provider_id"], f"The setting {wish['provider_id']}")
                    for wish in record["parents_preference"]},
        reply_words=replies, role_words=ROLE_WORDS.get(record["role"], record["role"]),
        reconsideration_words=RECONSIDERATION_WORDS.get(reconsideration.get("reason", ""), ""))


def _reply_words(setting: dict) -> str:
    if setting["reply"] == "cannot_meet":
        return "it cannot take your child: " + CANNOT_MEET_WORDS.get(setting["reason"] or "other", "")
    return REPLY_WORDS.get(setting["reply"] or "", "no reply recorded")


def tribunal_bundle(versions: list[tuple[dict, str]], check: dict) -> str:
    """The bundle of every version (record, hash), in order, with the chain's verification, as HTML."""
    latest, latest_hash = versions[-1]
    letter = decision_letter(latest, latest_hash)
    body = letter.split("<body>", 1)[1].rsplit("</body>", 1)[0]
    return _ENVIRONMENT.get_template("tribunal_bundle.html.j2").render(
        decision_id=latest["decision_id"], latest=latest, check=check,
        versions=[{"record": record, "hash": digest} for record, digest in versions],
        footer=f"Tribunal bundle, decision {latest['decision_id'][:8]}", letter_body=_markup(body))


def _markup(html: str) -> Markup:
    return Markup(html)  # the letter was rendered by our own autoescaping template


def html_to_pdf(html: str) -> bytes:
    """The HTML as a PDF (WeasyPrint, A4, fonts from the system)."""
    from weasyprint import HTML  # a heavy import, made only when a PDF is asked for

    return HTML(string=html, base_url=str(TEMPLATES)).write_pdf()
