"""Settings from the environment: clear errors for bad values."""

import re

import pytest

from pipelines.lib.config import load_settings
from pipelines.lib.errors import ConfigError


@pytest.mark.parametrize("name, value, problem", [
    ("CHIPWATCH_SOURCE", "production", "must be one of sample, live"),
    ("CHIPWATCH_YAHOO_URL", "file:///etc/passwd", "must be an http(s) URL"),
    ("CHIPWATCH_START_DATE", "2021-13-01", "YYYY-MM-DD"),
    ("CHIPWATCH_HTTP_TIMEOUT", "soon", "must be a number"),
    ("CHIPWATCH_HOME", "/tmp/it's", "single quote"),
])
def test_bad_settings_name_the_variable_and_the_problem(home, monkeypatch, name, value, problem):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=re.escape(problem)) as err:
        load_settings()
    assert name in str(err.value)


def test_defaults_are_the_offline_sample_and_the_public_yahoo_endpoint(home):
    settings = load_settings()
    assert settings.source == "sample"
    assert settings.yahoo_url == "https://query1.finance.yahoo.com"
    assert settings.raw_dir == home.resolve() / "raw" / "sample"
    assert load_settings("live").parquet_dir == home.resolve() / "parquet" / "live"
