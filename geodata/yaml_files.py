"""A user's YAML file (a scenario, a packages file) read as one mapping, every problem one clear line."""

from pathlib import Path
from typing import Any

import yaml

from core.errors import PlacewiseError


def read_yaml_mapping(path: Path, not_found: str, saved_as: str, shape: str) -> dict[str, Any]:
    """The file's mapping; or a ``PlacewiseError`` naming the file: ``not_found`` where it is missing, ``saved_as``
    in the advice for text that is not UTF-8, the YAML error's line, and ``shape`` where it is not a mapping."""
    try:
        document = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlacewiseError(f"{path}: {not_found}") from None
    except UnicodeDecodeError:
        raise PlacewiseError(f"{path}: not UTF-8 text; save {saved_as} as UTF-8") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise PlacewiseError(f"{path}{f' line {mark.line + 1}' if mark else ''}: not valid YAML; check the "
                             "indentation and colons") from None
    if not isinstance(document, dict):
        raise PlacewiseError(f"{path}: {shape}")
    return document
