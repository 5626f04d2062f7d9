"""A placement decision as a record a family and a tribunal can read: what it holds, its hash, and its chain.

Each version is one JSON document: the setting named and the officer's reasons; for every setting the parents asked
for, the statutory test applied (Children and Families Act 2014 s39) with the officer's reasons and, for the
efficient-use test, the whole costs compared; the warnings and the officer's override; the list offered (the package
list, with every setting's scores and reasons), the ranked shortlist given as advice, the data version (the
publications), the policy, the consultation's replies and who considered each, the officers by name, job title and
delegated authority, the council's contacts, the mediation record or tribunal order behind a reconsideration, and
the date. Its hash is SHA-256 over its canonical JSON (keys sorted, no spaces, UTF-8, no NaN), and the document holds
the hash of the version before, so a chain of versions verifies from the first: a reconsideration is a new version
linked to the old one, never an edit. The engine's output is advice; the decision is the named officer's.
"""

import hashlib
import json
from datetime import UTC, datetime

RECORD_SCHEMA = "placewise.decision/2"
ADVICE_NOTE = ("The list, the scores and the shortlist are the engine's advice. The decision is the named officer's, "
               "made after considering every setting's reply.")
#: The stored columns of a version that its content also holds (``verify_chain`` compares them).
COLUMNS = ("decision_id", "version", "council", "child_id", "previous_hash", "decided_by", "decided_at")


def canonical_json(value: object) -> str:
    """The one text of a JSON value that its hash is taken over (RFC 8259 JSON, keys sorted, no whitespace)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def record_hash(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def decision_content(*, decision_id: str, version: int, previous_hash: str | None, reconsideration: dict | None,
                     council: str, child_id: str, case_reference: str | None, package_list: dict, consultation: dict,
                     weighed: dict, named_provider_id: int, policy: dict, data_version: dict, decided_by: str,
                     role: str, decided_at: datetime, officers: dict[str, dict], contacts: dict) -> dict:
    """One version's document (see the module); ``weighed`` is ``scenarios.statutory_tests.weigh_decision``'s."""
    consulted = {setting["provider_id"]: setting for setting in consultation["settings"]}
    listed = {entry["provider_id"]: entry for entry in package_list["settings"]}
    wished = [wish["provider_id"] for wish in package_list["preferences"]]
    setting = consulted[named_provider_id]
    named = {"provider_id": named_provider_id, "name": setting["provider_name"], "on_list": named_provider_id in listed,
             "reply": setting["reply"], "parents_preference": named_provider_id in wished,
             "kind_words": listed[named_provider_id]["kind_words"] if named_provider_id in listed else None}
    return {
        "schema": RECORD_SCHEMA, "decision_id": decision_id, "version": version, "previous_hash": previous_hash,
        "reconsideration": reconsideration, "council": council, "council_contacts": contacts, "child_id": child_id,
        "case_reference": case_reference, "decided_by": decided_by, "role": role, "officers": officers,
        "decided_at": decided_at.isoformat(), "advice_note": ADVICE_NOTE,
        "named_setting": named, "reasons": weighed["reasons"], "statutory_tests": weighed["statutory_tests"],
        "warnings": weighed["warnings"], "override": weighed["override"],
        "outcome": "parents_preference_named" if named["parents_preference"] else "other_setting_named",
        "packages": package_list["packages"], "catalogue": package_list["catalogue"],
        "offered": package_list["settings"], "order": package_list["order"],
        "not_listed": package_list["not_listed"], "shortlist_advice": package_list["shortlist"],
        "parents_preference": package_list["preferences"], "consultation": consultation,
        "policy": policy, "data_version": data_version,
    }


def verify_chain(versions: list[dict], anchors: list[tuple[int, str]] | None = None) -> list[str]:
    """Problems of a chain of versions (each a mapping of the stored columns of ``COLUMNS`` with ``content`` and
    ``record_hash``), in version order; none when every hash is its content's, every version names the one before,
    every stored column says what its content says, and (where ``anchors`` are given: the (version, hash) pairs
    written outside the table when each version was stored) every anchored version is there with its hash."""
    problems = []
    previous = None
    for expected, row in enumerate(versions, start=1):
        version = row["version"]
        if version != expected:
            problems.append(f"version {version}: expected version {expected}")
        if record_hash(row["content"]) != row["record_hash"]:
            problems.append(f"version {version}: its content does not match its hash")
        document = json.loads(row["content"])
        if row["previous_hash"] != previous or document.get("previous_hash") != previous:
            problems.append(f"version {version}: does not name the hash of the version before")
        for column in COLUMNS:
            if column == "previous_hash":
                continue
            stored, held = row[column], document.get(column)
            if column == "decided_at":
                stored, held = _instant(stored), _instant(held)
            if stored != held:
                problems.append(f"version {version}: the stored {column} is not the one its content holds")
        previous = row["record_hash"]
    if anchors is not None:
        problems.extend(_anchor_problems(versions, anchors))
    return problems


def _instant(value: object) -> datetime | None:
    """A moment as an aware datetime (a store that drops the zone, as SQLite does, holds UTC)."""
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _anchor_problems(versions: list[dict], anchors: list[tuple[int, str]]) -> list[str]:
    stored = {row["version"]: row["record_hash"] for row in versions}
    problems = []
    for version, digest in sorted(anchors):
        if version not in stored:
            problems.append(f"version {version}: anchored in the audit but missing from the decisions table")
        elif stored[version] != digest:
            problems.append(f"version {version}: its hash is not the one anchored in the audit when it was stored")
    anchored = {version for version, _ in anchors}
    problems.extend(f"version {version}: not anchored in the audit (added outside the service?)"
                    for version in sorted(set(stored) - anchored))
    return problems
