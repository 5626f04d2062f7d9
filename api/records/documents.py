"""Documents in request bodies: UTF-8 text, and scenarios as JSON or safe YAML within the nesting limit.

These are CPU work: routes call them from a worker thread (sync routes, whose bodies come by dependency), never
on the event loop, so ``/v1/health`` answers whatever else is being parsed. YAML is read with libyaml where it is
installed, and refused with a clear 422 where it uses aliases (alias bombs) or nests deeper than ``MAX_DEPTH``;
JSON's depth is checked on the bytes before any of it is parsed (``security.limits``).
"""

import json

import yaml

from api.platform.security.limits import MAX_DEPTH, nests_deeper
from core.errors import PlacewiseError

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPENS = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken, yaml.FlowMappingStartToken,
          yaml.FlowSequenceStartToken)
_CLOSES = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)
_NOT_A_SCENARIO = "the body is not a UTF-8 JSON or YAML scenario"
_TOO_DEEP = f"the document nests deeper than {MAX_DEPTH} levels; send a flatter scenario"


def utf8_text(body: bytes, what: str) -> str:
    """The body as text (a byte-order mark dropped); 422 where it is not UTF-8."""
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PlacewiseError(f"the body is not UTF-8 text; send the {what} as UTF-8") from None


def scenario_document(body: bytes, content_type: str) -> dict:
    """A scenario body as a mapping: JSON, or safe YAML without aliases (no tags, no alias bombs), never nested
    deeper than ``MAX_DEPTH``."""
    text_body = utf8_text(body, "scenario")
    document = _yaml_document(text_body) if "yaml" in content_type else _json_document(body, text_body)
    if not isinstance(document, dict):
        raise PlacewiseError("a scenario is a mapping (name, councils, cohort, ...)")
    return document


def _json_document(body: bytes, text_body: str) -> object:
    if nests_deeper(body):
        raise PlacewiseError(_TOO_DEEP)
    try:
        return json.loads(text_body)
    except ValueError:
        raise PlacewiseError(_NOT_A_SCENARIO) from None


def _yaml_document(text_body: str) -> object:
    depth = 0
    try:
        for token in yaml.scan(text_body, Loader=_LOADER):
            if isinstance(token, yaml.AliasToken):
                raise PlacewiseError("YAML aliases are not accepted; write the scenario out in full")
            depth += isinstance(token, _OPENS) - isinstance(token, _CLOSES)
            if depth > MAX_DEPTH:
                raise PlacewiseError(_TOO_DEEP)
        return yaml.load(text_body, Loader=_LOADER)  # noqa: S506 - a safe loader
    except PlacewiseError:  # an alias or too deep, said as it is (it is a ValueError too)
        raise
    except yaml.YAMLError as error:  # libyaml itself stops at 1,000 levels
        raise PlacewiseError(_TOO_DEEP if "nesting depth" in str(error) else _NOT_A_SCENARIO) from None
    except (ValueError, RecursionError):
        raise PlacewiseError(_NOT_A_SCENARIO) from None
