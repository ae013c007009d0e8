"""Settings, read from the environment once per call site (no import-time state).

Every live client takes its base URL from here, so tests point them at ../shared/replay/server.py.
Secrets (COMTRADE_API_KEY) are read where they are used and never stored on these objects.
"""

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .errors import ConfigError

SOURCE_MODES = ("sample", "live")
DEFAULT_YAHOO_URL = "https://query1.finance.yahoo.com"
DEFAULT_EPOCH_URL = "https://epoch.ai"
DEFAULT_COMTRADE_URL = "https://comtradeapi.un.org"
DEFAULT_FRENCH_URL = "https://mba.tuck.dartmouth.edu"
DEFAULT_START = date(2021, 1, 1)
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"


@dataclass(frozen=True)
class Settings:
    home: Path
    source: str
    yahoo_url: str
    epoch_url: str
    comtrade_url: str
    french_url: str
    trade_start_year: int
    start: date
    http_timeout: float
    http_retries: int
    http_backoff: float
    write_report: bool = False  # CHIPWATCH_REPORT=1: write report.html (chipwatch report) after each publish

    # -- the on-disk layout of $CHIPWATCH_HOME ---------------------------------------------
    @property
    def raw_dir(self) -> Path:
        """Payloads exactly as received, per source mode (sample and live never mix)."""
        return self.home / "raw" / self.source

    @property
    def parquet_dir(self) -> Path:
        """Parsed rows, read by dbt as sources."""
        return self.home / "parquet" / self.source

    @property
    def build_dir(self) -> Path:
        return self.home / "build"

    @property
    def build_db(self) -> Path:
        return self.build_dir / "chipwatch.duckdb"

    @property
    def published_db(self) -> Path:
        return self.home / "chipwatch.duckdb"

    @property
    def report_path(self) -> Path:
        """The claims report written after each publish when CHIPWATCH_REPORT=1."""
        return self.home / "report.html"

    @property
    def publish_record(self) -> Path:
        """What was published, exported and reported, and from which build (pipelines/lib/publish.py)."""
        return self.home / "published.json"

    @property
    def exports_dir(self) -> Path:
        """One Parquet file per mart, rewritten after every publish (for any Parquet reader)."""
        return self.home / "exports"


def _url(name: str, default: str) -> str:
    value = os.environ.get(name, default).strip().rstrip("/")
    if not value.startswith(("http://", "https://")):
        raise ConfigError(f"{name} must be an http(s) URL, got {value[:80]!r}")
    return value


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a number, got {raw[:40]!r}") from None


def load_settings(source: str | None = None) -> Settings:
    """Build the settings; `source` overrides CHIPWATCH_SOURCE (the CLI's --source)."""
    mode = (source or os.environ.get("CHIPWATCH_SOURCE") or "sample").strip().lower()
    if mode not in SOURCE_MODES:
        raise ConfigError(f"CHIPWATCH_SOURCE must be one of {', '.join(SOURCE_MODES)}, got {mode[:40]!r}")
    home = Path(os.environ.get("CHIPWATCH_HOME") or PROJECT_ROOT / "warehouse").expanduser().resolve()
    if "\x00" in str(home) or "'" in str(home):
        raise ConfigError(f"CHIPWATCH_HOME may not contain a NUL byte or a single quote: {str(home)[:80]!r}")
    start_raw = os.environ.get("CHIPWATCH_START_DATE") or DEFAULT_START.isoformat()
    try:
        start = date.fromisoformat(start_raw)
    except ValueError:
        raise ConfigError(f"CHIPWATCH_START_DATE must be YYYY-MM-DD, got {start_raw[:40]!r}") from None
    return Settings(
        home=home,
        source=mode,
        yahoo_url=_url("CHIPWATCH_YAHOO_URL", DEFAULT_YAHOO_URL),
        epoch_url=_url("CHIPWATCH_EPOCH_URL", DEFAULT_EPOCH_URL),
        comtrade_url=_url("CHIPWATCH_COMTRADE_URL", DEFAULT_COMTRADE_URL),
        french_url=_url("CHIPWATCH_FRENCH_URL", DEFAULT_FRENCH_URL),
        trade_start_year=int(_float("CHIPWATCH_TRADE_START_YEAR", 2010)),
        start=start,
        http_timeout=_float("CHIPWATCH_HTTP_TIMEOUT", 20.0),
        http_retries=int(_float("CHIPWATCH_HTTP_RETRIES", 4)),
        http_backoff=_float("CHIPWATCH_HTTP_BACKOFF", 0.5),
        write_report=os.environ.get("CHIPWATCH_REPORT", "").strip().lower() in ("1", "true", "yes"),
    )
