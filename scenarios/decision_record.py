"""A placement decision as a record a family and a tribunal can read: what it holds, its hash, and its chain.

Each version is one JSON document: the list offered (the package list, with every setting's scores and reasons),
the ranked shortlist given as advice, the data version, the policy, the parents' preference and how it was weighed
(its cost above the best-ranked alternative, the efficient-use test), the consultation's replies and who considered
each, the setting named, and the named officer and date. Its hash is SHA-256 over its canonical JSON (keys sorted,
no spaces, UTF-8, no NaN), and the document holds the hash of the version before, so a chain of versions verifies
from the first: a reconsideration (after mediation, or when the tribunal sends the decision back) is a new version
linked to the old one, never an edit. The engine's output is advice; the officer's name is in every version.
"""

import hashlib
import json
from datetime import datetime

from core.errors import PlacewiseError
from core.vocabulary import CANNOT_MEET_WORDS

RECORD_SCHEMA = "placewise.decision/1"
ADVICE_NOTE = ("The list, the scores and the shortlist are the engine's advice. The decision is the named officer's, "
               "made after considering every setting's reply.")


def canonical_json(value: object) -> str:
    """The one text of a JSON value that its hash is taken over (RFC 8259 JSON, keys sorted, no whitespace)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def record_hash(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def decision_content(*, decision_id: str, version: int, previous_hash: str | None, reconsideration: dict | None,
                     council: str, child_id: str, case_reference: str | None, package_list: dict, consultation: dict,
                     named_provider_id: int, policy: dict, data_version: dict, decided_by: str, role: str,
                     decided_at: datetime) -> dict:
    """One version's document (see the module).

    Raises:
        PlacewiseError: the setting named was not consulted (a council consults a setting before naming it).
    """
    consulted = {setting["provider_id"]: setting for setting in consultation["settings"]}
    if named_provider_id not in consulted:
        raise PlacewiseError("named_provider_id: consult the setting before naming it (it is not among the "
                             "settings of this consultation)")
    listed = {entry["provider_id"]: entry for entry in package_list["settings"]}
    preferences = package_list["preferences"]
    wished = [wish["provider_id"] for wish in preferences]
    named = {"provider_id": named_provider_id, "name": consulted[named_provider_id]["provider_name"],
             "on_list": named_provider_id in listed, "reply": consulted[named_provider_id]["reply"],
             "parents_preference": named_provider_id in wished}
    return {
        "schema": RECORD_SCHEMA, "decision_id": decision_id, "version": version, "previous_hash": previous_hash,
        "reconsideration": reconsideration, "council": council, "child_id": child_id,
        "case_reference": case_reference, "decided_by": decided_by, "role": role,
        "decided_at": decided_at.isoformat(), "advice_note": ADVICE_NOTE,
        "packages": package_list["packages"], "catalogue": package_list["catalogue"],
        "offered": package_list["settings"], "order": package_list["order"],
        "not_listed": package_list["not_listed"], "warnings": package_list["warnings"],
        "shortlist_advice": package_list["shortlist"],
        "parents_preference": [_weighed(wish, consulted, named_provider_id) for wish in preferences],
        "consultation": consultation, "named_setting": named,
        "outcome": "parents_preference_named" if named["parents_preference"] else "other_setting_named",
        "policy": policy, "data_version": data_version,
    }


def _weighed(wish: dict, consulted: dict[int, dict], named: int) -> dict:
    """A preference with the reasons it was or was not named, in words a family reads."""
    reasons = []
    reply = consulted.get(wish["provider_id"])
    if not wish["on_list"]:
        reasons.append("it is not on the list of settings able to deliver the child's packages")
    elif wish.get("efficient_use") is False:
        reasons.append(f"it costs £{wish['extra_cost_gbp']:,} a year more than {wish['alternative_name']}, beyond "
                       f"the £{wish['limit_gbp']:,} that would be an efficient use of resources")
    if reply is None:
        reasons.append("it was not consulted")
    elif reply["reply"] == "cannot_meet":
        reasons.append("when consulted, it said " + CANNOT_MEET_WORDS.get(reply["reason"] or "other", "it could not"))
    elif reply["reply"] == "no_reply":
        reasons.append("it did not reply to the consultation by the deadline")
    return {**wish, "named": wish["provider_id"] == named, "why_not": [] if wish["provider_id"] == named else reasons}


def verify_chain(versions: list[tuple[int, str, str, str | None]]) -> list[str]:
    """Problems of a chain of (version, content, stored hash, stored previous hash), in version order; none when
    every hash is its content's and every version names the one before."""
    problems = []
    previous = None
    for expected, (version, content, stored, link) in enumerate(versions, start=1):
        if version != expected:
            problems.append(f"version {version}: expected version {expected}")
        if record_hash(content) != stored:
            problems.append(f"version {version}: its content does not match its hash")
        document = json.loads(content)
        if link != previous or document.get("previous_hash") != previous:
            problems.append(f"version {version}: does not name the hash of the version before")
        if document.get("version") != version:
            problems.append(f"version {version}: the content names version {document.get('version')}")
        previous = stored
    return problems
