"""The project's own error types: each names the source, the item and the problem."""


class ChipwatchError(Exception):
    """Base class for every error chipwatch raises on purpose."""


class ConfigError(ChipwatchError):
    """A setting in the environment is missing or malformed."""


class SourceError(ChipwatchError):
    """Fetching or parsing one item of one source failed.

    `source` is the service ("yahoo"), `item` the thing asked for ("NVDA"), `problem` what went wrong.
    """

    def __init__(self, source: str, item: str, problem: str, status: int | None = None):
        from .redaction import redact  # an error body or exception that echoes a key never carries it further

        problem = redact(problem)
        self.source, self.item, self.problem, self.status = source, item, problem, status
        where = f"{source} {item}"
        if status is not None:
            where += f" (HTTP {status})"
        super().__init__(f"{where}: {problem}")


class FetchError(SourceError):
    """The service could not be reached, or answered with an error status after retries."""


class ParseError(SourceError):
    """The service answered, but the payload is not usable."""


class PublishError(ChipwatchError):
    """The built warehouse could not be published; the previous published file is untouched."""


NOT_ASKED = "not asked: "  # how a FetchError for an item of a source already given up as down begins its problem


def failure_summary(messages) -> str:
    """The first failure of a source's items, and, when the source was given up as down, how many items were not
    asked and why: what a reader needs from a long list."""
    messages = list(messages)
    if not messages:
        return "first error: none"
    text = f"first error: {messages[0]}"
    skipped = [m for m in messages if NOT_ASKED in m]
    if skipped:
        text += f"; {len(skipped)} more not asked: " + skipped[-1].split(NOT_ASKED, 1)[1]
    return text
