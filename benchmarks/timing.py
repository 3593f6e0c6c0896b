"""The benchmarks' one stopwatch: every script times a page or a step the same way and prints
the same columns.

- `measure(client, url, runs)`: two warm-up requests, then `runs` timed ones: the median and the
  95th percentile (nearest rank) of the server time in ms, the SQL queries and the size of one
  more request. A POST (`data`, a dict or a function that builds one, untimed) expects a
  redirect. A URL that does not exist (None from `url_for`) is reported as "missing".
- `timed(step, runs)`: the same for any function; `once(step)` for a step that changes data
  and runs once (a reminder sweep, a snapshot refresh): its seconds and queries.
- `stopwatch(label)`: prints how long a build step took.
- `machine()`: the line every script prints first: cores and load average (figures from a busy
  machine must be read as such) and the database.
- `print_table(rows)`: one row per (label, user, result) under one header.

Import it after django.setup() (the scripts set up Django first).
"""

import contextlib
import os
import statistics
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

WARM_UP = 2


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def url_for(name: str, *args, query: str = "") -> str | None:
    """The URL of a name, or None when the name does not exist (yet)."""
    try:
        return reverse(name, args=args) + (f"?{query}" if query else "")
    except NoReverseMatch:
        return None


def existing(url: str) -> str | None:
    """`url` if its path resolves, else None."""
    try:
        resolve(urlsplit(url).path)
    except Resolver404:
        return None
    return url


def timed(step, runs: int, *, before=None, warm_up: int = WARM_UP) -> dict:
    """Call `step()` `warm_up` times, then `runs` timed times, then once more counting its SQL
    queries; `before()` runs untimed ahead of every call. The last call's value is "result"."""
    before = before or (lambda: None)
    for _ in range(warm_up):
        before()
        step()
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    before()
    with CaptureQueriesContext(connection) as queries:
        result = step()
    return {
        "median": statistics.median(times),
        "p95": percentile(times, 0.95),
        "queries": len(queries),
        "result": result,
    }


def once(step) -> dict:
    """One call of `step()`: its seconds, its SQL queries and its value ("result")."""
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = step()
        seconds = time.perf_counter() - start
    return {"seconds": seconds, "queries": len(queries), "result": result}


def measure(client, url: str | None, runs: int, *, data=None, before=None, **headers) -> dict:
    """Time a GET of `url` (or a POST of `data`) by a signed-in test client; see the module."""
    if url is None:
        return {"status": "missing"}
    expected = 200 if data is None else 302

    def request():
        if data is None:
            return client.get(url, headers=headers)
        return client.post(url, data() if callable(data) else data, headers=headers)

    (before or (lambda: None))()
    response = request()
    if response.status_code != expected:
        return {"status": str(response.status_code)}
    result = timed(request, runs, before=before, warm_up=WARM_UP - 1)
    response = result.pop("result")
    size = 0 if response.streaming else len(response.content)
    return {"status": str(response.status_code), **result, "kb": size / 1024}


@contextlib.contextmanager
def stopwatch(label: str):
    start = time.perf_counter()
    yield
    print(f"{label}: {time.perf_counter() - start:.1f} s", flush=True)


def machine() -> str:
    load = " ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"machine: {os.cpu_count()} cores, load {load} (1, 5, 15 min)  "
        f"database: {connection.vendor} {connection.settings_dict.get('NAME')}  "
        f"DEBUG={settings.DEBUG}"
    )


def print_table(rows, *, label: str = "page", width: int = 36, user_width: int = 17) -> None:
    """Rows of (label, user, result of `measure`); a result without times shows its status."""
    print()
    print(
        f"{label:<{width}}{'user':<{user_width}}{'status':>7}{'median ms':>11}{'p95 ms':>9}"
        f"{'queries':>9}{'KiB':>8}"
    )
    for name, user, r in rows:
        if "median" not in r:
            print(f"{name:<{width}}{user:<{user_width}}{r['status']:>7}")
            continue
        print(
            f"{name:<{width}}{user:<{user_width}}{r['status']:>7}{r['median']:>11.1f}"
            f"{r['p95']:>9.1f}{r['queries']:>9}{r.get('kb', 0):>8.0f}"
        )
