"""Prefect's temporary API server for one command, started before the command imports its flows.

With no Prefect server configured (no PREFECT_API_URL), Prefect starts a temporary one when the
first flow run asks for a client: it imports its server module in the command's process (about
2 s), then waits while a `uvicorn` subprocess imports it again and answers (about 5 s on 2
cores). Both come after the command imported its flows, so even a run with nothing new spent
about 7 s of its 15 s on them. `start_early` starts the same subprocess (Prefect 3.9's own
command line for it, from `prefect.server.api.server.SubprocessASGIServer`: the API without the
UI and with only the services an ephemeral server runs) as the first thing a flow command does;
the command imports and checks its input meanwhile. `use` then asks Prefect's own settings
whether a server is configured after all (in a profile, say): if one is, the early server is
stopped unused; if not, `serving` waits until it answers and points Prefect at it with
PREFECT_API_URL, for this process and the processes it starts. The flow runs, their records and
the API are those of any Prefect server; the server stops when the command ends.

Only the standard library is imported here, so that starting the server costs the command
nothing. The server's output goes to a temporary file, not the terminal: a server stopped unused
while starting says nothing, and what a server that did serve the run wrote is shown on stderr
when it stops.
"""

from __future__ import annotations

import atexit
import contextlib
import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field
from typing import IO

STARTUP_TIMEOUT_SETTING = "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"
DEFAULT_STARTUP_TIMEOUT_SECONDS = 120.0
STARTUP_FAILED_EXIT_CODE = 3
"""What uvicorn exits with when it could not start: its port was taken between choosing it and
binding it (Prefect then tries another port), or the app's start-up failed."""
PORT_ATTEMPTS = 3
SERVER_ENVIRONMENT = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
"""What Prefect sets for its temporary server: no UI, and only the ephemeral server's services."""
SERVER_DEFAULTS = {"PREFECT_API_BLOCKS_REGISTER_ON_START": "false", "PREFECT_MEMOIZE_BLOCK_AUTO_REGISTRATION": "false"}
"""Where the environment does not say otherwise, the server does not register Prefect's block
types at start: the project's flows use no blocks, and merely checking whether the registered
ones are current imports every installed Prefect collection (prefect-dask, hence Dask) in the
server, about 0.6 s of its start."""
_FALSE = {"0", "false", "no", "off"}
_EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception)\b[^:]*: ")


class TemporaryServerError(RuntimeError):
    """Prefect's temporary server did not start (or did not answer in time)."""

    def __init__(self, what: str, output: str) -> None:
        said = f" (its last words: {output})" if output else ""
        super().__init__(
            f"Prefect's temporary server {what}{said}, on 127.0.0.1 for PREFECT_HOME="
            f"{os.environ.get('PREFECT_HOME', '~/.prefect')}: run the command again with --debug, or start a "
            f"server (`make serve`) and set PREFECT_API_URL, or raise {STARTUP_TIMEOUT_SETTING}"
        )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _server_command(port: int) -> list[str]:
    """Prefect 3.9's command line for its temporary server (`SubprocessASGIServer`)."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "prefect.server.api.server:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "error",
        "--lifespan",
        "on",
    ]


@dataclass
class TemporaryServer:
    """One temporary Prefect server process, its port, and the file its output goes to."""

    port: int = field(default_factory=_free_port)
    process: subprocess.Popen[bytes] | None = None
    output: IO[bytes] = field(default_factory=lambda: tempfile.TemporaryFile(prefix="eventwire-prefect-server-"))  # noqa: SIM115 - closed by stop()
    served: bool = False

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def launch(self) -> None:
        env = {**SERVER_DEFAULTS, **os.environ, **SERVER_ENVIRONMENT}
        self.process = subprocess.Popen(
            _server_command(self.port), env=env, stdin=subprocess.DEVNULL, stdout=self.output, stderr=self.output
        )

    def answers(self) -> bool:
        """Whether the server's health check says it is up."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
        try:
            connection.request("GET", "/api/health")
            return connection.getresponse().status == 200
        except OSError:
            return False
        finally:
            connection.close()

    def wait_until_up(self, timeout: float) -> None:
        """Return once the server answers; a failed start (a port taken meanwhile, say) is tried
        again on another port, as Prefect does, up to `PORT_ATTEMPTS` starts in all."""
        deadline = time.monotonic() + timeout
        starts = 1
        while time.monotonic() < deadline:
            assert self.process is not None
            code = self.process.poll()
            if code == STARTUP_FAILED_EXIT_CODE and starts < PORT_ATTEMPTS:
                starts += 1
                self.port = _free_port()
                self.launch()
                continue
            if code is not None:
                raise TemporaryServerError(f"exited with code {code} before it answered", self.last_words())
            if self.answers():
                return
            time.sleep(0.05)
        raise TemporaryServerError(f"did not answer within {timeout:.0f} s", self.last_words())

    def last_words(self) -> str:
        """The error the server last reported (the last line naming an exception), else its last line."""
        self.output.flush()
        self.output.seek(0)
        lines = [line.strip() for line in self.output.read().decode("utf-8", "replace").splitlines() if line.strip()]
        errors = [line for line in lines if _EXCEPTION_LINE.match(line)]
        return (errors or lines or [""])[-1]

    def stop(self) -> None:
        """Stop the server (as Prefect does: terminate, then kill after 5 s), and show what it wrote
        while it served the command."""
        if self.process is None:
            return
        process, self.process = self.process, None
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if self.served:
            self.output.seek(0)
            written = self.output.read().decode("utf-8", "replace")
            if written.strip():
                sys.stderr.write(written)
        self.output.close()


def _configured_elsewhere(environ: MutableMapping[str, str]) -> bool:
    """Whether the environment alone shows that Prefect will not start a temporary server."""
    return bool(environ.get("PREFECT_API_URL")) or environ.get("PREFECT_SERVER_EPHEMERAL_ENABLED", "").lower() in _FALSE


def prefect_would_start_one() -> bool:
    """Prefect's own answer: no API URL in any of its settings sources, and temporary servers allowed."""
    from prefect.settings import get_current_settings

    settings = get_current_settings()
    return not settings.api.url and settings.server.ephemeral.enabled


def start_early(environ: MutableMapping[str, str] | None = None) -> TemporaryServer | None:
    """Start a temporary server now, unless Prefect is told to use another (None then).

    Call before importing Prefect: it reads only the environment (Prefect's settings, read by
    `serving`, have the last word). When Prefect is loaded already (the command runs inside a
    process that set Prefect up, a test say), its settings decide at once."""
    env = os.environ if environ is None else environ
    if _configured_elsewhere(env):
        return None
    if "prefect.settings" in sys.modules and not prefect_would_start_one():
        return None
    server = TemporaryServer()
    server.launch()
    atexit.register(server.stop)
    return server


@contextlib.contextmanager
def serving(server: TemporaryServer | None) -> Iterator[None]:
    """Run the body against `server` once it answers, or stop it if Prefect's settings name a
    server after all (the body then runs against that one).

    Enter after the flow's module is imported (Prefect's settings are loaded), around the flow
    call. Against the temporary server the body's flow runs send no heartbeats: a heartbeat lets
    a lasting server mark a run whose process died as crashed, but this server ends with the
    command's process, and stopping each flow run's heartbeat thread costs up to a second
    (Prefect's thread sleeps in one-second steps), four times in a pipeline run."""
    if server is None:
        yield
        return
    if not prefect_would_start_one():
        server.stop()
        yield
        return
    timeout = float(os.environ.get(STARTUP_TIMEOUT_SETTING, DEFAULT_STARTUP_TIMEOUT_SECONDS))
    server.wait_until_up(timeout)
    server.served = True
    os.environ["PREFECT_API_URL"] = server.api_url
    from prefect.context import refresh_global_settings_context
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    refresh_global_settings_context()
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield
