"""One requests session per source for every live client: timeouts, retries with backoff, a User-Agent, fail-fast.

Retries (urllib3's Retry) cover connection errors, read time-outs, 429 and 5xx, honour Retry-After, and back off
exponentially. After the last try the caller gets the final response (or exception) and turns it into a
FetchError that names the source, the item and the status.

Fail fast: a session is one source's for one refresh. After `down_after` consecutive failures of its service (a
connection that fails, or a 5xx, after all retries) the source is down: every later request of the refresh fails at
once, naming the source as down and why, instead of retrying every item with backoff.

Secrets stay with their host: a redirect to another origin (scheme, host or port) drops every secret header
(SECRET_HEADERS: Comtrade's Ocp-Apim-Subscription-Key, Authorization, ...) before the request is sent there.
"""

from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from .errors import NOT_ASKED, FetchError

USER_AGENT = "chipwatch/0.1 (+https://github.com/chipwatch; data pipeline; requests)"
RETRY_STATUSES = (429, 500, 502, 503, 504)
SECRET_HEADERS = ("Ocp-Apim-Subscription-Key", "Authorization", "Proxy-Authorization", "X-Api-Key")
DEFAULT_PORTS = {"http": 80, "https": 443}


class SourceSession(requests.Session):
    """A requests session that remembers whether its source's service is down (see the module docstring)."""

    def __init__(self, down_after: int = 2):
        super().__init__()
        self.down_after = down_after
        self.consecutive_failures = 0
        self.down_reason: str | None = None

    def record(self, failure: str | None) -> None:
        if failure is None:
            self.consecutive_failures = 0
            return
        self.consecutive_failures += 1
        if self.consecutive_failures >= self.down_after:
            self.down_reason = f"{self.consecutive_failures} requests in a row failed, the last with {failure}"

    def rebuild_auth(self, prepared_request, response) -> None:
        """requests' hook for each redirect: it strips only Authorization, and keeps it on an http -> https hop of the
        same host. Here every secret header goes whenever the origin changes at all, so a key is never sent to a
        host (or port, or scheme) it was not meant for."""
        if _origin(response.request.url) != _origin(prepared_request.url):
            for name in SECRET_HEADERS:
                prepared_request.headers.pop(name, None)
        super().rebuild_auth(prepared_request, response)


def _origin(url: str) -> tuple:
    parts = urlsplit(url)
    scheme = (parts.scheme or "").lower()
    try:
        port = parts.port
    except ValueError:  # a malformed port: never the same origin
        return (scheme, parts.netloc, None)
    return scheme, (parts.hostname or "").lower(), port or DEFAULT_PORTS.get(scheme)


def make_session(retries: int = 4, backoff: float = 0.5, down_after: int = 2) -> SourceSession:
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
    session = SourceSession(down_after)
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers["User-Agent"] = USER_AGENT
    return session


def get(
    session: SourceSession,
    url: str,
    *,
    source: str,
    item: str,
    params: dict | None = None,
    headers: dict | None = None,
    timeout: float = 20.0,
) -> requests.Response:
    """GET with the session's retries. Connection failures become FetchError; the response is returned
    whatever its status, so the caller can keep the body and decide (a 404 body is data for Yahoo). Once the
    session's source is down, FetchError at once, without a request."""
    if session.down_reason:
        raise FetchError(source, item, f"{NOT_ASKED}{source} is down ({session.down_reason})")
    try:
        response = session.get(url, params=params, headers=headers, timeout=timeout)
    except requests.exceptions.RetryError as exc:
        message = f"gave up after retries: {_reason(exc)}"
    except requests.exceptions.Timeout:
        message = f"timed out after {timeout:g} s (and retries)"
    except requests.exceptions.ConnectionError as exc:
        message = f"could not connect: {_reason(exc)}"
    else:
        session.record(f"HTTP {response.status_code} after retries" if response.status_code >= 500 else None)
        return response
    session.record(message)
    raise FetchError(source, item, message)


def _reason(exc: Exception) -> str:
    # requests wraps urllib3's MaxRetryError; its reason is the useful part. Never includes headers.
    inner = exc.args[0] if exc.args else exc
    reason = getattr(inner, "reason", inner)
    return str(reason)[:200]
