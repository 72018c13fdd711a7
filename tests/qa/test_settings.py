"""Settings: read from QA_* variables, split into the service's part and the server's."""

import pytest
from pydantic import ValidationError

from qa.settings import CoreSettings, ServerSettings, Settings


def test_a_malformed_rate_limit_is_refused_at_start() -> None:
    with pytest.raises(ValidationError):
        Settings(rate_limit="lots")


def test_the_environment_sets_both_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QA_TOP_K", "7")
    monkeypatch.setenv("QA_PORT", "9001")
    settings = Settings()
    assert settings.top_k == 7 and settings.port == 9001
    assert isinstance(settings, CoreSettings) and isinstance(settings, ServerSettings)
    assert "port" not in CoreSettings.model_fields and "top_k" not in ServerSettings.model_fields
