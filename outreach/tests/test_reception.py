import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from governance import notifications
from governance.ledger import services as ledger_services
from governance.models import Ledger, LedgerItem, Notification, Source, Status
from governance.testing import frozen
from outreach.figures.reception import demand_list, reception_children, reception_figures
from outreach.models import ReceptionDemand, ReceptionSchedule, ReceptionSession
from outreach.services import reception as services

pytestmark = pytest.mark.django_db

# The hand-built week: Monday 2 to Friday 6 March 2026 (all working days).
MON = datetime.date(2026, 3, 2)


def _demand(w, session, title, *, on_spot=False, actor=None, due=None):
    return services.demand_add(
        session=session,
        actor=actor or w.secretary_a,
        title=title,
        answered_on_spot=on_spot,
        reply="已当场答复" if on_spot else "",
        measures="" if on_spot else "协调物业维修",
        due_on=None if on_spot else (due or session.date + datetime.timedelta(days=10)),
    )


def test_schedule_changes_keep_history_and_are_checked(reception_world):
    w = reception_world
    with frozen(2026, 3, 1, 10):
        new = services.schedule_set(
            community=w.community_a,
            weekday=3,
            start_time=datetime.time(14),
            end_time=datetime.time(17),
            place="社区二楼会议室",
            secretary=w.secretary_a.person,
            valid_from=datetime.date(2026, 3, 2),
            actor=w.staff_a,
        )
        w.schedule_a.refresh_from_db()
        assert w.schedule_a.valid_until == datetime.date(2026, 3, 2)
        assert services.current_schedule(w.community_a) == new
        # Same day: a correction in place, no third row.
        services.schedule_set(
            community=w.community_a,
            weekday=3,
            start_time=datetime.time(14, 30),
            end_time=datetime.time(17),
            place="社区二楼会议室",
            secretary=None,
            valid_from=datetime.date(2026, 3, 2),
            actor=w.secretary_a,
        )
        assert ReceptionSchedule.objects.filter(community=w.community_a).count() == 2
        with pytest.raises(ValidationError):
            services.schedule_set(
                community=w.community_a,
                weekday=3,
                start_time=datetime.time(14),
                end_time=datetime.time(17),
                place="x",
                secretary=None,
                valid_from=datetime.date(2026, 2, 1),
                actor=w.staff_a,
            )
        with pytest.raises(ValidationError):
            services.schedule_set(
                community=w.community_a,
                weekday=3,
                start_time=datetime.time(17),
                end_time=datetime.time(14),
                place="x",
                secretary=None,
                valid_from=datetime.date(2026, 4, 1),
                actor=w.staff_a,
            )
        with pytest.raises(PermissionDenied):
            services.schedule_set(
                community=w.community_a,
                weekday=1,
                start_time=datetime.time(9),
                end_time=datetime.time(11),
                place="x",
                secretary=None,
                valid_from=datetime.date(2026, 4, 1),
                actor=w.staff_b,
            )


def test_a_session_once_a_day_and_never_ahead(reception_world):
    w = reception_world
    with frozen(2026, 3, 3, 12):
        session = services.session_record(
            community=w.community_a, date=datetime.date(2026, 3, 3), actor=w.secretary_a
        )
        assert session.schedule == w.schedule_a
        assert session.held_by == w.secretary_a.person
        with pytest.raises(ValidationError, match="接待日已登记"):
            services.session_record(
                community=w.community_a, date=datetime.date(2026, 3, 3), actor=w.staff_a
            )
        with pytest.raises(ValidationError):
            services.session_record(
                community=w.community_a, date=datetime.date(2026, 3, 4), actor=w.secretary_a
            )
        with pytest.raises(PermissionDenied):
            services.session_record(
                community=w.community_a, date=datetime.date(2026, 3, 2), actor=w.secretary_b
            )


def test_demands_go_into_the_ledger_answered_on_the_spot_or_with_measures(reception_world):
    w = reception_world
    with frozen(2026, 3, 3, 10):
        session = services.session_record(
            community=w.community_a, date=datetime.date(2026, 3, 3), actor=w.secretary_a
        )
        spot = _demand(w, session, "咨询低保政策", on_spot=True)
        later = _demand(w, session, "楼道灯不亮", due=datetime.date(2026, 3, 13))
    item = spot.item
    assert item.ledger == w.ledger and item.source == Source.RECEPTION_DAY
    assert item.source_record == session
    assert item.status == Status.RESOLVED and item.replied_at and item.resolved_at
    assert later.item.status == Status.RECEIVED
    assert later.item.measures == "协调物业维修"
    assert later.item.due_at.date() == datetime.date(2026, 3, 13) + datetime.timedelta(days=1)
    assert not later.answered_on_spot

    with frozen(2026, 3, 3, 10), pytest.raises(ValidationError):
        services.demand_add(session=session, actor=w.secretary_a, title="没有措施")
    # Nothing half-saved when the community has no reception-day ledger.
    Ledger.objects.filter(pk=w.ledger.pk).update(is_active=False)
    before = LedgerItem.objects.count()
    with frozen(2026, 3, 3, 10), pytest.raises(ValidationError):
        _demand(w, session, "又一件", on_spot=True)
    assert LedgerItem.objects.count() == before
    assert ReceptionDemand.objects.filter(session=session).count() == 2


def _hand_built_week(w):
    """Community A: Tuesday session (3 demands: 2 on the spot, 1 handed to 区住建局) and a Friday
    catch-up (2 demands: 1 resolved later, 1 open). Community A2: Wednesday (1 on the spot).
    Village B: Thursday (1 open). The Monday before the week: 1 demand of A, outside."""
    sessions = {}
    with frozen(2026, 2, 23, 10):
        early = services.session_record(
            community=w.community_a, date=datetime.date(2026, 2, 23), actor=w.secretary_a
        )
        _demand(w, early, "上周诉求")
    with frozen(2026, 3, 3, 10):
        tue = services.session_record(
            community=w.community_a, date=MON + datetime.timedelta(days=1), actor=w.secretary_a
        )
        _demand(w, tue, "咨询养老补贴", on_spot=True)
        _demand(w, tue, "咨询就业", on_spot=True)
        handed = _demand(w, tue, "屋顶漏水")
        ledger_services.item_hand_over(
            item=handed.item, actor=w.secretary_a, department=w.department, note="需住建局维修"
        )
        sessions["tue"] = tue
    with frozen(2026, 3, 4, 10):
        wed = services.session_record(
            community=w.community_a2, date=MON + datetime.timedelta(days=2), actor=w.staff_a
        )
        _demand(w, wed, "咨询医保", on_spot=True, actor=w.staff_a)
    with frozen(2026, 3, 5, 10):
        thu = services.session_record(
            community=w.community_b, date=MON + datetime.timedelta(days=3), actor=w.staff_b
        )
        _demand(w, thu, "道路破损", actor=w.staff_b)
    with frozen(2026, 3, 6, 16):
        fri = services.session_record(
            community=w.community_a, date=MON + datetime.timedelta(days=4), actor=w.secretary_a
        )
        fixed = _demand(w, fri, "垃圾清运不及时")
        _demand(w, fri, "停车难")
        item = ledger_services.item_accept(item=fixed.item, actor=w.secretary_a)
        ledger_services.item_resolve(item=item, actor=w.secretary_a, result="已协调清运")
    return sessions


def test_figures_on_a_hand_built_week(reception_world):
    w = reception_world
    _hand_built_week(w)
    start, end = MON, MON + datetime.timedelta(days=7)

    a = reception_figures(w.community_a, start, end)
    assert (a.sessions, a.collected, a.answered_on_spot, a.resolved, a.handed_over, a.open) == (
        2,
        5,
        2,
        3,
        1,
        2,
    )
    township = reception_figures(w.township_a, start, end)
    assert (township.sessions, township.collected, township.answered_on_spot) == (3, 6, 3)
    assert township.resolved == 4
    district = reception_figures(w.district, start, end)
    assert (district.sessions, district.collected, district.open) == (4, 7, 3)
    assert district.resolution_rate == pytest.approx(4 / 7)

    children = {row["unit"]: row["figures"] for row in reception_children(w.township_a, start, end)}
    assert children[w.community_a].collected == 5 and children[w.community_a2].collected == 1
    assert sum(f.collected for f in children.values()) == township.collected

    # Every figure drills down to exactly that many rows.
    for name in ("collected", "answered_on_spot", "resolved", "handed_over", "open"):
        assert demand_list(w.district, start, end, figure=name).count() == getattr(district, name)
    handed = demand_list(w.community_a, start, end, figure="handed_over").get()
    assert handed.item.title == "屋顶漏水"


def test_figures_page_links_to_lists_of_that_many_rows_and_respects_scope(client, reception_world):
    w = reception_world
    _hand_built_week(w)
    client.force_login(w.staff_a)
    query = {"unit": w.township_a.pk, "from": "2026-03-02", "to": "2026-03-08"}
    response = client.get(reverse("outreach:reception-figures"), query)
    assert response.status_code == 200
    collected = response.context["data"].collected
    assert collected == 6
    for figure in response.context["headline"]:
        page = client.get(figure["url"])
        assert page.status_code == 200
        assert page.context["page"].paginator.count == figure["value"], figure["name"]
    # Township A's staff cannot open village B's figures or its list.
    assert (
        client.get(reverse("outreach:reception-figures"), {"unit": w.community_b.pk}).status_code
        == 404
    )
    assert (
        client.get(
            reverse("outreach:reception-demand-list"), {"unit": w.community_b.pk}
        ).status_code
        == 404
    )
    # The district's figures seen by the district admin include B.
    client.force_login(w.district_admin)
    query["unit"] = w.district.pk
    assert client.get(reverse("outreach:reception-figures"), query).context["data"].collected == 7


def test_session_pages_are_scoped_and_the_phone_flow_works(client, reception_world):
    w = reception_world
    client.force_login(w.secretary_a)
    with frozen(2026, 3, 3, 10):
        response = client.post(
            reverse("outreach:reception-session-new", args=[w.community_a.pk]),
            {"date": "2026-03-03", "attendance": "12", "note": ""},
        )
        session = ReceptionSession.objects.get(community=w.community_a)
        assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
        add = reverse("outreach:reception-demand-add", args=[session.pk])
        response = client.post(
            add, {"title": "咨询低保", "answered_on_spot": "on", "reply": "已答复"}
        )
        assert response.status_code == 302
        response = client.post(add, {"title": "路灯坏了"})
        assert response.status_code == 400
        assert "措施" in response.content.decode() or "measures" in response.content.decode()
        assert client.get(add).status_code == 405
    assert session.demands.count() == 1
    assert session.demands.get().item.status == Status.RESOLVED

    client.force_login(w.staff_b)
    assert client.get(session.get_absolute_url()).status_code == 404
    assert (
        client.post(add, {"title": "x", "answered_on_spot": "on", "reply": "y"}).status_code == 404
    )
    assert (
        client.get(reverse("outreach:reception-session-new", args=[w.community_a.pk])).status_code
        == 404
    )
    response = client.get(reverse("outreach:reception-session-list"))
    assert response.context["page"].paginator.count == 0


def test_session_list_and_figures_keep_their_query_count(
    client, reception_world, django_assert_max_num_queries
):
    w = reception_world
    with frozen(2026, 3, 6, 16):
        for day in range(20):
            date = datetime.date(2026, 2, 1) + datetime.timedelta(days=day)
            for community in (w.community_a, w.community_a2):
                session = services.session_record(community=community, date=date, actor=w.staff_a)
                _demand(w, session, f"诉求{day}", on_spot=day % 2 == 0, actor=w.staff_a)
    client.force_login(w.staff_a)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("outreach:reception-session-list")).status_code == 200
    with django_assert_max_num_queries(14):
        response = client.get(
            reverse("outreach:reception-figures"),
            {"unit": w.township_a.pk, "from": "2026-02-01", "to": "2026-02-28"},
        )
    assert response.context["data"].collected == 40
    with django_assert_max_num_queries(12):
        client.get(reverse("outreach:reception-demand-list"), {"unit": w.township_a.pk})


def _reminders(day):
    notifications.run_sweeps(day, kinds=["outreach.reception_not_recorded"])
    return Notification.objects.filter(kind="outreach.reception_not_recorded", day=day)


def test_reception_not_recorded_reminder_once_a_day_with_catch_up(reception_world):
    w = reception_world
    tuesday = datetime.date(2026, 3, 10)
    with frozen(2026, 3, 10, 10):  # before the end of the reception
        assert not _reminders(tuesday).exists()
    with frozen(2026, 3, 10, 12):
        sent = _reminders(tuesday)
        assert {n.recipient for n in sent} == {w.secretary_a}
        _reminders(tuesday)
        assert Notification.objects.filter(kind="outreach.reception_not_recorded").count() == 1
    # The beat was down on Wednesday; Thursday's run still reminds, once.
    with frozen(2026, 3, 12, 8):
        assert _reminders(datetime.date(2026, 3, 12)).count() == 1
        _reminders(datetime.date(2026, 3, 12))
        assert Notification.objects.filter(kind="outreach.reception_not_recorded").count() == 2
        services.session_record(community=w.community_a, date=tuesday, actor=w.secretary_a)
    with frozen(2026, 3, 13, 8):
        assert not _reminders(datetime.date(2026, 3, 13)).exists()


def test_no_reminder_for_a_reception_day_on_a_public_holiday(reception_world):
    w = reception_world
    # 2026-10-01 (Thursday) is National Day.
    ReceptionSchedule.objects.filter(pk=w.schedule_a.pk).update(weekday=3)
    with frozen(2026, 10, 1, 18):
        assert not _reminders(datetime.date(2026, 10, 1)).exists()
    with frozen(2026, 10, 8, 18):  # the next Thursday is a working day
        assert _reminders(datetime.date(2026, 10, 8)).count() == 1


def test_the_session_page_shows_a_demands_deadline_as_the_ledger_does(client, reception_world):
    w = reception_world
    client.force_login(w.secretary_a)
    with frozen(2026, 3, 3, 10):
        client.post(
            reverse("outreach:reception-session-new", args=[w.community_a.pk]),
            {"date": "2026-03-03", "attendance": "12", "note": ""},
        )
        session = ReceptionSession.objects.get(community=w.community_a)
        client.post(
            reverse("outreach:reception-demand-add", args=[session.pk]),
            {"title": "路灯坏了", "measures": "报修", "due_on": "2026-03-10"},
        )
        item = session.demands.get().item
        session_page = client.get(session.get_absolute_url()).content.decode()
        item_page = client.get(item.get_absolute_url()).content.decode()
    # The deadline's last day, not the instant it ends (00:00 of the next day).
    assert "2026-03-10" in item_page
    assert "2026-03-10" in session_page and "2026-03-11" not in session_page
