"""benchmarks.timing, the benchmarks' one stopwatch, on a small world: what every script prints
comes from here (the scripts themselves run against a district-scale database only)."""

import pytest
from django.urls import reverse

from benchmarks import timing

pytestmark = pytest.mark.django_db


def test_a_page_is_timed_with_its_queries_and_size(client, world, capsys):
    client.force_login(world.staff_a)
    page = timing.measure(client, reverse("governance:unit-list"), 3)
    assert page["status"] == "200" and page["queries"] > 0 and page["kb"] > 1
    assert 0 < page["median"] <= page["p95"]
    assert timing.measure(client, timing.url_for("no-such:page"), 3) == {"status": "missing"}
    assert timing.measure(client, timing.existing("/no/such/page/"), 3)["status"] == "missing"
    refused = timing.measure(client, reverse("governance:person-create"), 3, data={})
    assert refused == {"status": "200"}  # a POST must redirect: the form came back instead
    timing.print_table([("unit list", "staff_a", page), ("nothing", "-", refused)])
    table = capsys.readouterr().out.splitlines()
    assert table[1].split()[:3] == ["page", "user", "status"]
    assert table[2].startswith("unit list") and table[3].split() == ["nothing", "-", "200"]


def test_steps_and_the_machine_line():
    calls = []
    result = timing.timed(lambda: calls.append(1) or len(calls), 4, warm_up=1)
    assert result["result"] == 6 and len(calls) == 6  # 1 warm-up, 4 timed, 1 counted
    once = timing.once(lambda: "done")
    assert once["result"] == "done" and once["queries"] == 0 and once["seconds"] >= 0
    assert timing.percentile([5, 1, 4, 2, 3], 0.95) == 5
    assert timing.machine().startswith("machine: ") and "load" in timing.machine()
