from pathlib import Path

import pytest

from talentbridge.config import Settings, build_settings
from talentbridge.domain.errors import ConfigurationError

DOCS = Path(__file__).resolve().parents[1] / "docs" / "configuration.md"


def test_every_setting_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        assert f"`TALENTBRIDGE_{name.upper()}`" in text, f"docs/configuration.md misses {name}"
        assert field.description, f"setting {name} has no help text"


def test_production_refuses_the_default_secret() -> None:
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        build_settings(environment="production")
    assert build_settings(environment="production", secret_key="s3cret-value" * 3).environment == "production"


def test_default_database_is_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    settings = build_settings(data_dir=tmp_path, database_url=None)
    assert settings.sqlalchemy_url == f"sqlite:///{tmp_path / 'talentbridge.sqlite3'}"
