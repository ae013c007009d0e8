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
