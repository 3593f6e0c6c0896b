"""Run the development web server and a Celery worker (with beat) together; `make run` calls it.

Each process runs in a session of its own, so that a Ctrl-C reaches this runner only; the
runner then passes SIGINT to each process group, as a terminal would (that also stops the
child that runserver's autoreloader starts), waits for a clean exit and kills what is left.
When either process ends by itself, the other is stopped too.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GRACE_SECONDS = 10

COMMANDS = {
    "web": [sys.executable, "manage.py", "runserver", "127.0.0.1:8000"],
    "worker": [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "-B",
        "-l",
        "info",
        "--concurrency",
        "2",
    ],
}


class Stop(Exception):
    pass


def _raise_stop(signum, frame):
    raise Stop


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def _stop_all(processes: dict[str, subprocess.Popen]) -> None:
    for process in processes.values():
        if process.poll() is None:
            _signal_group(process, signal.SIGINT)
    deadline = time.monotonic() + GRACE_SECONDS
    for process in processes.values():
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait()


def main() -> int:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    signal.signal(signal.SIGINT, _raise_stop)
    signal.signal(signal.SIGTERM, _raise_stop)
    processes: dict[str, subprocess.Popen] = {}
    exit_code = 0
    try:
        for name, command in COMMANDS.items():
            processes[name] = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        print("Shanzhi: http://127.0.0.1:8000/ (web and worker running; Ctrl-C stops both)")
        while True:
            for name, process in processes.items():
                code = process.poll()
                if code is not None:
                    print(f"Shanzhi: {name} exited with status {code}; stopping.", file=sys.stderr)
                    exit_code = code or 1
                    raise Stop
            time.sleep(0.5)
    except Stop:
        pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        _stop_all(processes)
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
