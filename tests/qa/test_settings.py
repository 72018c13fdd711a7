"""Settings: read from QA_* variables, split into the service's part and the server's."""

import pytest
from pydantic import ValidationError

from qa.settings import (
    CoreSettings,
    ServerSettings,
    Settings,
    settings_problems,
    unknown_variables,
)


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


@pytest.mark.parametrize(
    ("given", "origins"),
    [
        ('["https://a.example", "https://b.example"]', ["https://a.example", "https://b.example"]),
        ("https://a.example, https://b.example", ["https://a.example", "https://b.example"]),
        ("https://a.example", ["https://a.example"]),
    ],
)
def test_cors_origins_are_read_as_a_json_list_or_separated_by_commas(
    monkeypatch: pytest.MonkeyPatch, given: str, origins: list[str]
) -> None:
    monkeypatch.setenv("QA_CORS_ORIGINS", given)
    assert Settings().cors_origins == origins


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("QA_CORS_ORIGINS", '["https://a.example"', "QA_CORS_ORIGINS: not a JSON list"),
        ("QA_HOST", "bad host..example", "QA_HOST: expected an IP address or a host name"),
        ("QA_OPENAI_BASE_URL", "127.0.0.1:8080/v1", "QA_OPENAI_BASE_URL: must be http(s)://"),
        ("QA_TOP_K", "0", "QA_TOP_K: Input should be greater than or equal to 1"),
        # `-e QA_API_KEY="$KEY"` with $KEY unset: not a key every keyless request matches
        ("QA_API_KEY", "", "QA_API_KEY: is set but empty"),
        ("QA_API_KEY", "  ", "QA_API_KEY: is set but empty"),
    ],
)
def test_a_bad_value_is_named_by_its_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, said: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as refused:
        Settings()
    assert settings_problems(refused.value).startswith(said)


@pytest.mark.parametrize("host", ["0.0.0.0", "::1", "localhost", "api-1.news.example"])
def test_addresses_and_host_names_are_taken(monkeypatch: pytest.MonkeyPatch, host: str) -> None:
    monkeypatch.setenv("QA_HOST", host)
    assert Settings().host == host


def test_a_misspelt_variable_is_warned_of_with_the_one_meant(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env_file = tmp_path / ".env"
    env_file.write_text("QA_OPENAI_BASEURL=http://gpu:8080/v1\nQA_TOP_K=7\n")
    warnings = unknown_variables({"QA_LMM": "local", "QA_LLM": "local", "HOME": "/"}, env_file)
    assert warnings == [
        "QA_LMM is not a setting and is ignored (did you mean QA_LLM?)",
        "QA_OPENAI_BASEURL is not a setting and is ignored (did you mean QA_OPENAI_BASE_URL?)",
    ]
