"""One requests session for every live client: timeouts, retries with backoff, a User-Agent.

Retries (urllib3's Retry) cover connection errors, read time-outs, 429 and 5xx, honour Retry-After, and back off
exponentially. After the last try the caller gets the final response (or exception) and turns it into a
FetchError that names the source, the item and the status.
"""

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from .errors import FetchError

USER_AGENT = "chipwatch/0.1 (+https://github.com/chipwatch; data pipeline; requests)"
RETRY_STATUSES = (429, 500, 502, 503, 504)


def make_session(retries: int = 4, backoff: float = 0.5) -> requests.Session:
    retry = Retry(
        total=retries,
        connect=retries,
        read=retries,
        status=retries,
        backoff_factor=backoff,
        backoff_max=30,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET"}),
        respect_retry_after_header=True,
        raise_on_status=False,
    )
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


def get(
    session: requests.Session,
    url: str,
    *,
    source: str,
    item: str,
    params: dict | None = None,
    headers: dict | None = None,
    timeout: float = 20.0,
) -> requests.Response:
    """GET with the session's retries. Connection failures become FetchError; the response is returned
    whatever its status, so the caller can keep the body and decide (a 404 body is data for Yahoo)."""
    try:
        return session.get(url, params=params, headers=headers, timeout=timeout)
    except requests.exceptions.RetryError as exc:
        raise FetchError(source, item, f"gave up after retries: {_reason(exc)}") from None
    except requests.exceptions.Timeout:
        raise FetchError(source, item, f"timed out after {timeout:g} s (and retries)") from None
    except requests.exceptions.ConnectionError as exc:
        raise FetchError(source, item, f"could not connect: {_reason(exc)}") from None


def _reason(exc: Exception) -> str:
    # requests wraps urllib3's MaxRetryError; its reason is the useful part. Never includes headers.
    inner = exc.args[0] if exc.args else exc
    reason = getattr(inner, "reason", inner)
    return str(reason)[:200]
