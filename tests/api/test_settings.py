"""Every setting is read once by the settings object, and the README lists each with its true default."""

import re
from pathlib import Path

from api.settings import Settings

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_settings() -> dict[str, str]:
    """The README's settings table: ``PLACEWISE_NAME`` -> its default as written there."""
    section = README.read_text(encoding="utf-8").split("### Settings", 1)[1].split("\n#", 1)[0]
    return dict(re.findall(r"^\| `PLACEWISE_([A-Z_]+)` \|\s*`?([^`|]*?)`?\s*\|", section, flags=re.M))


def shown(default: object) -> str:
    return "" if default is None else f"{default:,}" if isinstance(default, int) else str(default)


def test_the_readme_lists_every_setting_with_its_default():
    listed = readme_settings()
    fields = Settings.model_fields
    assert set(listed) == {name.upper() for name in fields}
    for name, field in fields.items():
        if field.default_factory is None:
            assert listed[name.upper()] == shown(field.default), name


def test_settings_come_from_the_environment_once(monkeypatch):
    monkeypatch.setenv("PLACEWISE_REQUESTS_PER_MINUTE", "7")
    settings = Settings()
    monkeypatch.setenv("PLACEWISE_REQUESTS_PER_MINUTE", "8")
    assert settings.requests_per_minute == 7 and Settings().requests_per_minute == 8
