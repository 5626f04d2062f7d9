"""The API's documentation as the project's own page over its OpenAPI (``/v1/docs``): every operation by tag with
its method, path, summary, description, parameters, request body, answers and how to authenticate, in GOV.UK
Frontend's components, so it is accessible (axe-clean) and works offline. Swagger UI, for trying requests, stays
at ``/v1/docs/swagger``; the machine-readable description at ``/v1/openapi.json``."""

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.web.render import page

router = APIRouter(include_in_schema=False)
METHODS = ("get", "post", "put", "patch", "delete")


def _schema_words(schema: dict) -> str:
    """A parameter's type in a few words (``string``, ``integer``, one of ...)."""
    if "enum" in schema:
        return "one of " + ", ".join(str(value) for value in schema["enum"])
    if "anyOf" in schema:
        return " or ".join(_schema_words(part) for part in schema["anyOf"] if part.get("type") != "null")
    return str(schema.get("type") or schema.get("$ref", "").rsplit("/", 1)[-1] or "value")


def operations(openapi: dict) -> list[dict]:
    """The OpenAPI's operations grouped by their first tag, in the order the paths are declared."""
    groups: dict[str, list[dict]] = {}
    for path, item in openapi.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            parameters = [{"name": found["name"], "in": found["in"], "required": found.get("required", False),
                           "type": _schema_words(found.get("schema", {})),
                           "description": found.get("description") or found.get("schema", {}).get("description", "")}
                          for found in operation.get("parameters", [])]
            body = operation.get("requestBody", {}).get("content", {})
            groups.setdefault((operation.get("tags") or ["other"])[0], []).append({
                "id": operation.get("operationId", f"{method}-{path}"), "method": method.upper(), "path": path,
                "summary": operation.get("summary", ""),
                "description": operation.get("description", "").replace("``", ""),
                "parameters": parameters, "body": list(body), "secured": bool(operation.get("security")),
                "responses": [(code, answer.get("description", "")) for code, answer in
                              operation.get("responses", {}).items()]})
    return [{"tag": tag, "operations": found} for tag, found in groups.items()]


@router.get("/v1/docs")
def api_docs(request: Request) -> Response:
    """The API's own documentation page."""
    openapi = request.app.openapi()
    return page(request, "api_docs.html", title="Placewise API", groups=operations(openapi),
                version=openapi.get("info", {}).get("version", ""))
