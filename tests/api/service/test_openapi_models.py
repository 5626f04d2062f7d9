"""Every operation of the JSON API names its answer in the OpenAPI: a 2xx JSON answer is a model of
``api/service/schemas`` (a ``$ref``, or an array of them), described, with its fields; a 2xx answer that is not JSON
(a letter, a bundle) declares its media type; only a 204 has no body."""

import pytest

from api.service.app import create_app
from api.settings import Settings

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


def test_the_walk_finds_an_unnamed_answer():
    """The check itself: an operation answering a bare object, or a 204 with a body, is reported by name."""
    spec = {"paths": {"/v1/loose": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {
        "type": "object", "additionalProperties": True}}}}}}, "delete": {"responses": {"204": {"content": {
            "application/json": {"schema": {}}}}}}},
        "/v1/listed": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {
            "type": "array", "items": {"$ref": REF_PREFIX + "Thing"}}}}}}}}}}
    assert _unnamed_answers(spec) == ["GET /v1/loose 200: the JSON answer names no model",
                                      "DELETE /v1/loose 204: a 204 declares a body"]
