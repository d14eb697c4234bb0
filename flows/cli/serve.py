"""`make serve`: a local Prefect server, the eventwire deployments on their schedules, a worker.

    python -m flows.cli.serve             # server on 127.0.0.1:4200, deploy, worker; Ctrl-C stops all
    python -m flows.cli.serve --port 4300 # another port
    PREFECT_API_URL=http://prefect.internal:4200/api python -m flows.cli.serve --use-existing
                                          # deploy to (and work for) a server that already runs

Steps: start `prefect server start` on 127.0.0.1 with the project's `PREFECT_HOME`
(`.prefect/` at the repository root), wait until `/api/health` answers, create the `process`
work pool, deploy every deployment in `prefect.yaml` (`prefect deploy --all`), start a worker
on the pool, print the UI address, and on Ctrl-C (or SIGTERM) stop the worker, then the server.

Schedules come from `prefect.yaml`; the variables in `SCHEDULE_ENV` change them at deploy time
without editing the file (see docs/operations.md).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import httpx
import yaml

from flows.settings import PREFECT_FILE, PROJECT_PREFECT_ENV, REPO_ROOT

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4200
DEFAULT_POOL = "eventwire"
HEALTH_TIMEOUT_SECONDS = 120.0

SCHEDULE_ENV: dict[str, tuple[str, str]] = {
    "EVENTWIRE_INGEST_INTERVAL": ("ingest", "interval"),
    "EVENTWIRE_CODE_INTERVAL": ("code", "interval"),
    "EVENTWIRE_PUBLISH_CRON": ("publish", "cron"),
}
"""Deploy-time overrides: environment variable → (deployment, schedule field)."""

SCHEDULES_ACTIVE_ENV = "EVENTWIRE_SCHEDULES_ACTIVE"
"""`false` deploys every schedule paused (start them in the UI or with `prefect deployment schedule resume`)."""


class ServeError(RuntimeError):
    """The local Prefect server, the deployment or the worker could not be started."""


def prefect_command(*args: str) -> list[str]:
    """The Prefect CLI of this virtualenv, run as a module (no reliance on PATH)."""
    return [sys.executable, "-m", "prefect", *args]


def project_environment(base: Mapping[str, str] | None = None, **overrides: str) -> dict[str, str]:
    """The environment for Prefect processes: the caller's, with the project's defaults filled in."""
    env = dict(os.environ if base is None else base)
    for key, value in PROJECT_PREFECT_ENV.items():
        env.setdefault(key, value)
    env.update(overrides)
    return env


def port_is_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def free_port(host: str = DEFAULT_HOST) -> int:
    """A port the OS considers free right now (for tests: an ephemeral port)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def wait_until_healthy(
    api_url: str, *, timeout: float = HEALTH_TIMEOUT_SECONDS, process: subprocess.Popen | None = None
) -> float:
    """Poll `<api>/health` until it answers; return the seconds waited."""
    started = time.monotonic()
    while True:
        if process is not None and process.poll() is not None:
            raise ServeError(f"the Prefect server exited with code {process.returncode} before it was healthy")
        try:
            response = httpx.get(f"{api_url}/health", timeout=2.0)
            if response.status_code == 200:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        if time.monotonic() - started > timeout:
            raise ServeError(f"the Prefect server at {api_url} was not healthy after {timeout:.0f} s")
        time.sleep(0.25)


@dataclass
class LocalPrefect:
    """A `prefect server` process on one host and port, with its own PREFECT_HOME."""

    home: Path
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    extra_env: dict[str, str] = field(default_factory=dict)
    log_path: Path | None = None
    process: subprocess.Popen | None = None
    _log: TextIO | None = None

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.port}/api"

    @property
    def ui_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def environment(self, base: Mapping[str, str] | None = None) -> dict[str, str]:
        """The environment of a process that talks to this server (CLI, worker)."""
        env = project_environment(base, PREFECT_HOME=str(self.home), PREFECT_API_URL=self.api_url)
        env.update(self.extra_env)
        return env

    def start(self, *, timeout: float = HEALTH_TIMEOUT_SECONDS) -> float:
        """Start the server and wait until it is healthy; return the seconds that took."""
        if not port_is_free(self.host, self.port):
            raise ServeError(
                f"port {self.port} on {self.host} is in use: pass --port, or --use-existing for a running server"
            )
        self.home.mkdir(parents=True, exist_ok=True)
        env = self.environment()
        env.pop("PREFECT_API_URL")
        log_path = self.log_path or self.home / "server.log"
        self._log = log_path.open("a", encoding="utf-8")
        self.process = subprocess.Popen(
            prefect_command("server", "start", "--host", self.host, "--port", str(self.port)),
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            return wait_until_healthy(self.api_url, timeout=timeout, process=self.process)
        except BaseException:
            self.stop()
            raise

    def stop(self, timeout: float = 20.0) -> None:
        """Stop the server (SIGTERM, then SIGKILL after `timeout`)."""
        stop_process(self.process, timeout)
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> LocalPrefect:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def stop_process(process: subprocess.Popen | None, timeout: float = 20.0) -> None:
    """End a process we started, and its children (it leads its own session): TERM, then KILL."""
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def run_prefect(args: list[str], env: Mapping[str, str], *, cwd: Path = REPO_ROOT, timeout: float = 300.0) -> str:
    """Run a Prefect CLI command to completion; raise `ServeError` with its output if it fails."""
    result = subprocess.run(
        prefect_command("--no-prompt", *args),
        env=dict(env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    if result.returncode != 0:
        raise ServeError(f"`prefect {' '.join(args)}` failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout


def ensure_work_pool(pool: str, env: Mapping[str, str]) -> None:
    """Create the `process` work pool unless it exists."""
    try:
        run_prefect(["work-pool", "inspect", pool], env, timeout=120)
    except ServeError:
        run_prefect(["work-pool", "create", pool, "--type", "process"], env, timeout=120)


def deployment_file(environ: Mapping[str, str] | None = None, *, source: Path = PREFECT_FILE, target_dir: Path) -> Path:
    """`prefect.yaml`, or a copy with the schedule overrides from the environment applied."""
    env = os.environ if environ is None else environ
    overrides = {name: env[name] for name in SCHEDULE_ENV if env.get(name)}
    active = env.get(SCHEDULES_ACTIVE_ENV, "").strip().lower()
    if not overrides and active not in ("false", "0", "no", "off"):
        return source
    config = yaml.safe_load(source.read_text(encoding="utf-8"))
    by_name = {d["name"]: d for d in config.get("deployments", [])}
    for name, value in overrides.items():
        deployment, key = SCHEDULE_ENV[name]
        schedules = by_name[deployment].get("schedules") or [{}]
        schedule = dict(schedules[0])
        schedule.pop("interval", None)
        schedule.pop("cron", None)
        schedule[key] = _interval(name, value) if key == "interval" else value
        by_name[deployment]["schedules"] = [schedule, *schedules[1:]]
    if active in ("false", "0", "no", "off"):
        for deployment in by_name.values():
            for schedule in deployment.get("schedules") or []:
                schedule["active"] = False
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / "prefect.deploy.yaml"
    target.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return target


def _interval(name: str, value: str) -> int:
    try:
        seconds = int(value)
    except ValueError as error:
        raise ServeError(f"{name} must be a number of seconds, not {value!r}") from error
    if seconds < 60:
        raise ServeError(f"{name} must be at least 60 seconds, not {seconds}")
    return seconds


def deploy_all(env: Mapping[str, str], *, prefect_file: Path = PREFECT_FILE, cwd: Path = REPO_ROOT) -> str:
    """Deploy every deployment in the file (`prefect deploy --all`) from the repository root."""
    args = ["deploy", "--all"]
    if prefect_file.resolve() != (cwd / "prefect.yaml").resolve():
        args += ["--prefect-file", str(prefect_file)]
    return run_prefect(args, env, cwd=cwd, timeout=600)


def start_worker(pool: str, env: Mapping[str, str], *, stdout: Any = None) -> subprocess.Popen:
    """A `process` worker on the pool; it runs each flow run in a subprocess."""
    return subprocess.Popen(
        prefect_command("worker", "start", "--pool", pool, "--type", "process"),
        env=dict(env),
        cwd=REPO_ROOT,
        stdout=stdout,
        stderr=subprocess.STDOUT if stdout is not None else None,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


@contextlib.contextmanager
def _signals_raise_interrupt() -> Iterator[None]:
    previous = signal.getsignal(signal.SIGTERM)

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m flows.cli.serve", description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default=DEFAULT_HOST, help="interface the server listens on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="server port (default 4200)")
    parser.add_argument("--pool", default=DEFAULT_POOL, help="process work pool name (default eventwire)")
    parser.add_argument(
        "--use-existing",
        action="store_true",
        help="do not start a server: deploy to the one PREFECT_API_URL names and start a worker for it",
    )
    parser.add_argument("--no-worker", action="store_true", help="deploy only; run workers elsewhere")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None, environ: MutableMapping[str, str] | None = None) -> int:
    """Start (or use) a server, deploy, run a worker until Ctrl-C; return the exit code."""
    args = parse_args(argv)
    base = project_environment(os.environ if environ is None else environ)
    server: LocalPrefect | None = None
    worker: subprocess.Popen | None = None
    with _signals_raise_interrupt():
        try:
            if args.use_existing:
                api_url = base.get("PREFECT_API_URL")
                if not api_url:
                    raise ServeError("--use-existing needs PREFECT_API_URL, e.g. http://prefect.internal:4200/api")
                env = base
                seconds = wait_until_healthy(api_url, timeout=30)
                ui_url = api_url.removesuffix("/api")
            else:
                server = LocalPrefect(home=Path(base["PREFECT_HOME"]), host=args.host, port=args.port)
                print(f"starting the Prefect server on {server.ui_url} (PREFECT_HOME={server.home}) …", flush=True)
                seconds = server.start()
                env = server.environment(base)
                api_url, ui_url = server.api_url, server.ui_url
            print(f"server healthy after {seconds:.1f} s; creating work pool {args.pool!r} and deploying …", flush=True)
            ensure_work_pool(args.pool, env)
            prefect_file = deployment_file(base, target_dir=Path(base["PREFECT_HOME"]))
            deploy_all(env, prefect_file=prefect_file)
            print(f"deployed {prefect_file.name} to {api_url}", flush=True)
            print(f"\nPrefect UI: {ui_url}\n", flush=True)
            if args.no_worker:
                if server is None:
                    return 0
                print("no worker started (--no-worker); Ctrl-C stops the server", flush=True)
                server.process.wait()  # type: ignore[union-attr]
                return 0
            worker = start_worker(args.pool, env)
            print(f"worker on pool {args.pool!r} started; Ctrl-C stops the worker and the server", flush=True)
            while True:
                if worker.poll() is not None:
                    raise ServeError(f"the worker exited with code {worker.returncode}")
                if server is not None and server.process is not None and server.process.poll() is not None:
                    raise ServeError(f"the server exited with code {server.process.returncode}")
                time.sleep(1.0)
        except KeyboardInterrupt:
            print("\nstopping …", flush=True)
            return 0
        except ServeError as error:
            print(f"error: {error}", file=sys.stderr, flush=True)
            return 1
        finally:
            stop_process(worker)
            if server is not None:
                server.stop()
            if server is not None or worker is not None:
                print("stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
