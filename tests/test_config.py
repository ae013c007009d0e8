"""Settings from the environment: clear errors for bad values."""

import re

import pytest

from pipelines.lib.config import load_settings
from pipelines.lib.errors import ConfigError


@pytest.mark.parametrize(
    "name, value, problem",
    [
        ("CHIPWATCH_SOURCE", "production", "must be one of sample, live"),
        ("CHIPWATCH_YAHOO_URL", "file:///etc/passwd", "must be an http(s) URL"),
        ("CHIPWATCH_FRENCH_URL", "ftp://mba.tuck.dartmouth.edu", "must be an http(s) URL"),
        ("CHIPWATCH_START_DATE", "2021-13-01", "YYYY-MM-DD"),
        ("CHIPWATCH_HTTP_TIMEOUT", "soon", "must be a number"),
        ("CHIPWATCH_HOME", "/tmp/it's", "single quote"),
    ],
)
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


def test_the_french_library_defaults_to_its_published_host_and_takes_an_override(home, monkeypatch):
    monkeypatch.delenv("CHIPWATCH_FRENCH_URL", raising=False)
    assert load_settings().french_url == "https://mba.tuck.dartmouth.edu"
    monkeypatch.setenv("CHIPWATCH_FRENCH_URL", " http://127.0.0.1:8123/ ")
    assert load_settings("live").french_url == "http://127.0.0.1:8123"  # trimmed, no trailing slash
