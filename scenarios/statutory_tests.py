"""The law's tests for a placement decision, applied before it is recorded: what the officer decided and why, checked
against the package list and the settings' replies, with the blocking rules and the warnings.

Children and Families Act 2014 s39: the council names the school the parents ask for unless it is unsuitable for the
child's age, ability, aptitude or SEN, or the child's attending it would be incompatible with the efficient education
of others or with the efficient use of resources. A decision therefore names one setting and records, for every
setting the parents asked for, the test applied (``core.vocabulary.StatutoryTest``) and the officer's own reasons.

Blocking rules (each a ``PlacewiseError`` naming the field and what to do; nothing is stored):
- naming a setting that has not replied, that replied it cannot meet the needs, or that cannot deliver the child's
  packages (unless the SEND Tribunal ordered it named);
- passing over a requested setting without a test and reasons, or with "named" for a setting not named;
- the efficient-use test where the requested setting costs no more than the offer (the whole cost, transport
  included, compared case by case: the policy's limit is only a prompt, never the test);
- no reasons at all.

Warnings (kept in the record; the officer may go on only by recording why, ``override_reasons``): the setting named is
not on the package list for another rule (travel, age); a requested setting that said it can meet the needs is found
unsuitable; a requested setting was not consulted; the extra cost is within the policy's prompt; the package list's
own warnings about the child's packages.
"""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from core.errors import PlacewiseError
from core.vocabulary import FREE_TEXT_PATTERN, STATUTORY_TEST_WORDS, StatutoryTest

Reasons = Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=2_000,
                                           pattern=FREE_TEXT_PATTERN)]


class PreferenceTest(BaseModel):
    """The test applied to one setting the parents asked for, the officer's reasons, and (for the efficient-use
    test where the package list prices neither) the whole annual costs compared."""

    model_config = ConfigDict(extra="forbid")
    provider_id: int = Field(gt=0)
    test: StatutoryTest
    reasons: Reasons
    requested_annual_cost_gbp: int | None = Field(default=None, ge=0, le=10_000_000)
    named_annual_cost_gbp: int | None = Field(default=None, ge=0, le=10_000_000)


class DecisionTerms(BaseModel):
    """What the officer decides: the setting named, the reasons in their own words, the test for every setting the
    parents asked for, and (where the decision raises warnings) why they go on all the same."""

    model_config = ConfigDict(extra="forbid")
    named_provider_id: int = Field(gt=0)
    reasons: Reasons
    preferences: list[PreferenceTest] = Field(default_factory=list, max_length=10)
    override_reasons: Reasons | None = None


class WarningsNeedReasons(PlacewiseError):
    """The decision raises warnings and no ``override_reasons`` were given: say why it goes on, or change it."""

    def __init__(self, warnings: list[dict]) -> None:
        words = "; ".join(warning["message"] for warning in warnings)
        super().__init__(f"override_reasons: this decision raises {len(warnings)} warning"
                         f"{'s' if len(warnings) != 1 else ''} ({words}); record why you go on all the same, or change "
                         "the decision; nothing was stored", field="override_reasons")
        self.warnings = warnings


def weigh_decision(terms: DecisionTerms, package_list: dict, consultation: dict, missing_packages: dict[int, list],
                   prompt_gbp: float, ordered_provider_id: int | None = None) -> dict:
    """The decision's statutory tests, warnings and override, checked (see the module).

    ``missing_packages`` maps the named and requested settings to the child's packages each cannot deliver;
    ``ordered_provider_id`` is the setting the SEND Tribunal ordered named, if any.

    Raises:
        PlacewiseError: a blocking rule (by field); ``WarningsNeedReasons`` where warnings have no override.
    """
    consulted = {setting["provider_id"]: setting for setting in consultation["settings"]}
    offered = {entry["provider_id"]: entry for entry in package_list["settings"]}
    named = terms.named_provider_id
    _check_named(named, consulted, missing_packages.get(named, []), ordered_provider_id)
    tests = _check_preferences(terms, package_list, consulted, offered, missing_packages)
    warnings = _warnings(terms, package_list, consulted, offered, tests, prompt_gbp)
    if ordered_provider_id is not None and ordered_provider_id != named:
        raise PlacewiseError("named_provider_id: the SEND Tribunal ordered another setting to be named; name it",
                             field="named_provider_id")
    if warnings and terms.override_reasons is None:
        raise WarningsNeedReasons(warnings)
    override = ({"reasons": terms.override_reasons, "warnings": [warning["code"] for warning in warnings]}
                if warnings else None)
    return {"reasons": terms.reasons, "statutory_tests": tests, "warnings": warnings, "override": override}


def _check_named(named: int, consulted: dict[int, dict], missing: list, ordered: int | None) -> None:
    if named not in consulted:
        raise PlacewiseError("named_provider_id: consult the setting before naming it (it is not among the settings "
                             "of this consultation); nothing was stored", field="named_provider_id")
    if ordered is not None and named == ordered:
        return  # the tribunal's order stands in place of the setting's reply and the list
    reply = consulted[named]["reply"]
    if reply == "no_reply" or reply is None:
        raise PlacewiseError("named_provider_id: the setting did not reply to the consultation; name a setting "
                             "that replied it can meet the needs, or consult this one again", field="named_provider_id")
    if reply == "cannot_meet":
        raise PlacewiseError("named_provider_id: the setting replied that it cannot meet the needs; name a setting "
                             "that can, or consult this one again", field="named_provider_id")
    if missing:
        raise PlacewiseError("named_provider_id: the package list says this setting cannot deliver the child's "
                             "package; name a setting that can deliver it", field="named_provider_id")


def _check_preferences(terms: DecisionTerms, package_list: dict, consulted: dict[int, dict],
                       offered: dict[int, dict], missing: dict[int, list]) -> list[dict]:
    wished = [wish["provider_id"] for wish in package_list["preferences"]]
    given = {test.provider_id: test for test in terms.preferences}
    if len(given) != len(terms.preferences) or set(given) - set(wished):
        raise PlacewiseError("preferences: give one test for each setting the parents asked for, and for no other",
                             field="preferences")
    passed_over = [provider for provider in wished if provider not in given]
    if passed_over:
        raise PlacewiseError(f"preferences: the parents asked for {len(wished)} setting(s); give the statutory test "
                             f"and your reasons for each ({len(passed_over)} without); nothing was stored",
                             field="preferences")
    tests = []
    for provider in wished:
        test = given[provider]
        if (test.test == "named") != (provider == terms.named_provider_id):
            raise PlacewiseError("preferences.test: 'named' is the test for the setting named, and only for it",
                                 field="preferences.test")
        reply = consulted.get(provider)
        entry = {"provider_id": provider, "name": _name(provider, consulted, offered, package_list),
                 "test": test.test, "test_words": STATUTORY_TEST_WORDS[test.test], "reasons": test.reasons,
                 "reply": reply["reply"] if reply else None, "reply_reason": reply["reason"] if reply else None,
                 "on_list": provider in offered, "cannot_deliver": list(missing.get(provider, [])), "costs": None}
        if test.test == "incompatible_efficient_use_of_resources":
            entry["costs"] = _costs(test, provider, terms.named_provider_id, offered)
        tests.append(entry)
    return tests


def _name(provider: int, consulted: dict[int, dict], offered: dict[int, dict], package_list: dict) -> str:
    if provider in offered:
        return str(offered[provider]["name"])
    if provider in consulted:
        return str(consulted[provider]["provider_name"])
    names = {row["provider_id"]: row["name"] for row in package_list.get("not_listed", [])}
    return str(names.get(provider, f"setting {provider}"))


def _costs(test: PreferenceTest, provider: int, named: int, offered: dict[int, dict]) -> dict:
    """The whole annual cost (placement and transport) of the requested setting against the setting named: from
    the package list where it prices both, else as the officer gives them."""
    if provider in offered and named in offered:
        requested, offer = offered[provider], offered[named]
        costs = {"source": "package list", "requested_annual_cost_gbp": requested["annual_cost_gbp"],
                 "requested_placement_cost_gbp": requested["placement_cost_gbp"],
                 "requested_transport_cost_gbp": requested["transport_cost_gbp"],
                 "named_annual_cost_gbp": offer["annual_cost_gbp"],
                 "named_placement_cost_gbp": offer["placement_cost_gbp"],
                 "named_transport_cost_gbp": offer["transport_cost_gbp"]}
    elif test.requested_annual_cost_gbp is not None and test.named_annual_cost_gbp is not None:
        costs = {"source": "officer", "requested_annual_cost_gbp": test.requested_annual_cost_gbp,
                 "named_annual_cost_gbp": test.named_annual_cost_gbp}
    else:
        raise PlacewiseError("preferences.requested_annual_cost_gbp: the package list does not price both settings; "
                             "give the whole annual cost, transport included, of the requested setting and of the "
                             "setting named (named_annual_cost_gbp)", field="preferences.requested_annual_cost_gbp")
    costs["difference_gbp"] = costs["requested_annual_cost_gbp"] - costs["named_annual_cost_gbp"]
    if costs["difference_gbp"] <= 0:
        raise PlacewiseError("preferences.test: the requested setting costs no more than the setting named, so it "
                             "cannot be incompatible with the efficient use of resources; choose another test or "
                             "name it", field="preferences.test")
    return costs


def _warnings(terms: DecisionTerms, package_list: dict, consulted: dict[int, dict], offered: dict[int, dict],
              tests: list[dict], prompt_gbp: float) -> list[dict]:
    warnings = []
    if terms.named_provider_id not in offered:
        warnings.append({"code": "named_not_on_list", "message": "the setting named is not on the package list "
                         "(it fails a rule such as travel or age): check it can take the child"})
    for test in tests:
        if test["test"] == "unsuitable" and test["reply"] == "can_meet":
            warnings.append({"code": "unsuitable_but_can_meet", "message": f"{test['name']} replied that it can "
                             "meet the needs, and you found it unsuitable"})
        if test["reply"] is None:
            warnings.append({"code": "preference_not_consulted", "message": f"{test['name']} was asked for by the "
                             "parents and not consulted (the law asks the council to consult it)"})
        costs = test["costs"]
        if costs is not None and costs["difference_gbp"] <= prompt_gbp:
            warnings.append({"code": "efficient_use_below_prompt", "message": f"{test['name']} costs "
                             f"£{costs['difference_gbp']:,} a year more, within the policy's prompt of "
                             f"£{prompt_gbp:,.0f}"})
    warnings.extend({"code": "package_list", "message": words} for words in package_list.get("warnings", []))
    return warnings
