"""What a person sees while a refresh builds: dbt's own log goes to a file under the home, and the terminal gets one
progress line (nodes done of total, elapsed time) that rewrites itself in a terminal and is printed at every tenth of
the way in a pipe or CI log, where a rewritten line would only be noise."""

import re
import time
from pathlib import Path
from typing import TextIO

# dbt's per-node result line: "12 of 609 OK created sql table model ..." / "13 of 609 PASS not_null_..."
NODE_DONE = re.compile(r"\b(\d+) of (\d+) (OK|PASS|WARN|ERROR|FAIL|SKIP|NO-OP)\b")


class DbtProgress:
    """A file-like object standing in for stdout while dbt runs: every line goes to `log_path`; node results move the
    progress line on `screen`."""

    def __init__(self, log_path: Path, screen: TextIO, label: str = "dbt build"):
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self.log_path, self.screen, self.label = log_path, screen, label
        self.log = open(log_path, "w", encoding="utf-8")  # noqa: SIM115 - closed in close()
        self.tty = bool(getattr(screen, "isatty", lambda: False)())
        self.started, self.done, self.total, self.failed, self.last_tenth = time.monotonic(), 0, 0, 0, -1
        self._partial = ""

    def write(self, text: str) -> int:
        self.log.write(text)
        self._partial += text
        *lines, self._partial = self._partial.split("\n")
        for line in lines:
            found = NODE_DONE.search(line)
            if found:
                self.done, self.total = max(self.done, int(found[1])), int(found[2])
                self.failed += found[3] in ("ERROR", "FAIL")
                self._show()
        return len(text)

    def _show(self) -> None:
        elapsed = time.monotonic() - self.started
        failed = f", {self.failed} failed" if self.failed else ""
        text = f"{self.label}: {self.done} of {self.total} nodes{failed}, {elapsed:.0f} s"
        if self.tty:
            self.screen.write("\r" + text.ljust(60))
        else:
            tenth = self.done * 10 // max(self.total, 1)
            if tenth == self.last_tenth:
                return
            self.last_tenth = tenth
            self.screen.write(text + "\n")
        self.screen.flush()

    def flush(self) -> None:
        self.log.flush()

    def isatty(self) -> bool:
        return False

    def close(self) -> None:
        if self.tty and self.done:
            self.screen.write("\n")
            self.screen.flush()
        self.log.close()
