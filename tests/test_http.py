"""Fail fast: a source whose service keeps failing is given up for the rest of the refresh (pipelines/lib/http.py)."""

import pytest
import requests

from pipelines.lib import http
from pipelines.lib.errors import FetchError, failure_summary


class Refusing(http.SourceSession):
    """A session whose service refuses every connection, or answers with `status`; counts what it was asked."""

    def __init__(self, status=None):
        super().__init__(down_after=2)
        self.asked, self.status = [], status

    def get(self, url, **kwargs):
        self.asked.append(url)
        if self.status is None:
            raise requests.exceptions.ConnectionError("connection refused")
        response = requests.Response()
        response.status_code = self.status
        return response


def test_after_two_failed_items_the_source_is_down_and_nothing_more_is_asked():
    session = Refusing()
    errors = []
    for symbol in ["A", "B", "C", "D"]:
        with pytest.raises(FetchError) as caught:
            http.get(session, f"http://127.0.0.1:9/{symbol}", source="yahoo", item=symbol)
        errors.append(str(caught.value))
    assert session.asked == ["http://127.0.0.1:9/A", "http://127.0.0.1:9/B"]
    assert "could not connect" in errors[0] and "not asked: yahoo is down" in errors[2]
    assert failure_summary(errors).endswith(
        "2 more not asked: yahoo is down (2 requests in a row failed, the last "
        "with could not connect: connection refused)"
    )


def test_a_success_between_failures_keeps_the_source_up_and_a_4xx_is_not_a_service_failure():
    for status in (404, 200):
        session = Refusing(status=500)
        http.get(session, "http://127.0.0.1:9/a", source="s", item="a")
        session.status = status
        http.get(session, "http://127.0.0.1:9/b", source="s", item="b")
        session.status = 500
        http.get(session, "http://127.0.0.1:9/c", source="s", item="c")
        assert session.down_reason is None  # 500, then a non-5xx answer, then one 500: never two in a row
        http.get(session, "http://127.0.0.1:9/d", source="s", item="d")
        assert session.down_reason and "HTTP 500" in session.down_reason
