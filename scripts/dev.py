"""`make dev`: the Dagster UI and daemon on 127.0.0.1, stopping cleanly on Ctrl-C or SIGTERM.

A process started in the background by a non-interactive shell inherits SIGINT as *ignored*, and `dagster dev` then
never stops on it (reference/stack-notes.md). Restoring the default handler before exec lets Ctrl-C and SIGTERM reach
the webserver and the daemon.
"""

import os
import signal
import sys
from pathlib import Path

port = os.environ.get("CHIPWATCH_DEV_PORT", "3000")
dagster = str(Path(sys.executable).parent / "dagster")
signal.signal(signal.SIGINT, signal.default_int_handler)  # exec resets a handler to SIG_DFL; SIG_IGN would survive
os.execv(dagster, [dagster, "dev", "--host", "127.0.0.1", "--port", port, "-m", "pipelines.definitions"])
