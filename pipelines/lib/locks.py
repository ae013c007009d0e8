"""File locks on $CHIPWATCH_HOME, released by the operating system when their process dies (a killed refresh never
leaves a lock behind, and nothing has to be cleaned up after it).

- The refresh lock: one refresh (CLI or scheduled) lands and builds a home at a time; a second one is refused at once.
- The build lock: one run at a time writes the build database and publishes it; a second one waits its turn.
"""

import fcntl
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger("chipwatch.locks")


class Locked(Exception):
    """Another process holds the lock; the message names it."""


@contextmanager
def _held(path: Path, wait: bool) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            if not wait:
                raise Locked(f"another refresh is running ({holder}); try again when it ends") from None
            log.info("waiting for %s to release %s", holder, path.name)
            fcntl.flock(fh, fcntl.LOCK_EX)
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}")
        fh.flush()
        try:
            yield
        finally:
            fh.seek(0)
            fh.truncate()
            fcntl.flock(fh, fcntl.LOCK_UN)


def refresh_lock(home: Path):
    """Raises Locked at once when another refresh of this home is running."""
    return _held(home / ".refresh.lock", wait=False)


def build_lock(home: Path):
    """Waits while another run builds or publishes this home's warehouse."""
    return _held(home / "build" / ".build.lock", wait=True)
