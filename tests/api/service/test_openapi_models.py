"""Every operation of the JSON API names its answer in the OpenAPI: a 2xx JSON answer is a model of
``api/service/schemas`` (a ``$ref``, or an array of them), described, with its fields; a 2xx answer that is not JSON
(a letter, a bundle) declares its media type; only a 204 has no body."""

import json

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.platform.json_safe import json_safe
from api.platform.security.keys import create_key
from api.settings import Settings
from matcher.child import Child
from matcher.package_list import package_list
from scenarios.inputs import locate_child
from tests.helpers.store import A

REF_PREFIX = "#/components/schemas/"


@pytest.fixture(scope="module")
def spec() -> dict:
    return create_app(Settings(database_url="sqlite://")).openapi()


def _operations(spec: dict) -> list[tuple[str, str, dict]]:
    return [(method.upper(), path, operation) for path, item in spec["paths"].items() if path.startswith("/v1/")
            for method, operation in item.items()]


def _named(schema: dict) -> str | None:
    """The model an answer's schema names: itself a ``$ref``, or an array of one; None otherwise."""
    if schema.get("type") == "array":
        schema = schema.get("items", {})
    reference = schema.get("$ref", "")
    return reference.removeprefix(REF_PREFIX) if reference.startswith(REF_PREFIX) else None


def _unnamed_answers(spec: dict) -> list[str]:
    unnamed = []
    for method, path, operation in _operations(spec):
        for status, answer in operation["responses"].items():
            if not status.startswith("2"):
                continue
            content = answer.get("content", {})
            if status == "204":
                if content:
                    unnamed.append(f"{method} {path} {status}: a 204 declares a body")
                continue
            if not content:
                unnamed.append(f"{method} {path} {status}: no media type declared")
            if "application/json" in content and _named(content["application/json"].get("schema", {})) is None:
                unnamed.append(f"{method} {path} {status}: the JSON answer names no model")
    return unnamed


def test_every_operations_json_answer_is_a_named_model(spec):
    assert len(_operations(spec)) > 30  # the walk sees the whole API, not an empty schema
    assert _unnamed_answers(spec) == []


def test_every_answer_model_is_described_and_lists_its_fields(spec):
    components = spec["components"]["schemas"]
    named = {_named(answer["content"]["application/json"]["schema"])
             for _, _, operation in _operations(spec) for status, answer in operation["responses"].items()
             if status.startswith("2") and "application/json" in answer.get("content", {})}
    assert named and None not in named
    bare = [name for name in sorted(named) if not components[name].get("description")
            or not components[name].get("properties")]
    assert bare == []


def test_the_models_reshape_nothing_the_engine_answers(tmp_path):
    """The shortlist and the package list, the most deeply typed answers, come out of their models as the engine
    built them: the same keys in the same order, the same values, an integer still an integer."""
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'store.db'}"))
    key = create_key(app.state.engine, "caseworker A", "caseworker", [A])
    view = app.state.register.current()
    package = view.packages.catalogue.packages[0]
    child = Child(child_id="C-MODEL-1", home_council=A, easting=420000, northing=570000, age=9,
                  primary_need=package.needs[0], packages=(package.id,))
    located = locate_child(child, view.inputs)
    body = {"child": child.model_dump(mode="json"), "k": 10, "purpose": "placement_search"}
    client = TestClient(app)
    for path, built in (("/v1/shortlists", view.shortlister.shortlist(located, 10).to_dict()),
                        ("/v1/packages/lists", package_list(view.shortlister, located, view.packages.catalogue,
                                                            view.packages.capability, 10))):
        answer = client.post(path, json=body, headers={"X-API-Key": key})
        assert answer.status_code == 200, path
        assert answer.json()["candidates" if path == "/v1/shortlists" else "settings"], path  # typed rows to compare
        assert json.dumps(answer.json()) == json.dumps(json_safe(built)), path


def test_the_walk_finds_an_unnamed_answer():
    """The check itself: an operation answering a bare object, or a 204 with a body, is reported by name."""
    spec = {"paths": {"/v1/loose": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {
        "type": "object", "additionalProperties": True}}}}}}, "delete": {"responses": {"204": {"content": {
            "application/json": {"schema": {}}}}}}},
        "/v1/listed": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {
            "type": "array", "items": {"$ref": REF_PREFIX + "Thing"}}}}}}}}}}
    assert _unnamed_answers(spec) == ["GET /v1/loose 200: the JSON answer names no model",
                                      "DELETE /v1/loose 204: a 204 declares a body"]
