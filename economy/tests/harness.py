"""Harness cases of the economy pages (tests/test_url_harness.py runs them).

staff_a (township A staff) works on township A's villages and projects; township B's are
outside. The district admin keeps the district's bands and models; other_admin's district is
outside for them.
"""

import datetime
from decimal import Decimal

from economy import services
from economy.models import (
    Attachment,
    DevelopmentModel,
    IncomeBand,
    IncomeMeasure,
    Milestone,
    Pairing,
    Project,
    ProsperityCompany,
    VillageModel,
)
from tests.harness import Case


def _project(owner, village):
    project = Project.objects.filter(owner_unit=owner, name="冷库项目").first()
    if project is None:
        project = services.project_create(
            actor=None, owner_unit=owner, name="冷库项目", year=2025, villages=[village]
        )
    return project


def _project_pk(owner, village):
    return {"pk": _project(owner, village).pk}


def _milestone(owner, village):
    project = _project(owner, village)
    milestone = Milestone.objects.filter(project=project).first()
    if milestone is None:
        milestone = services.milestone_add(actor=None, project=project, name="主体工程")
    return {"pk": milestone.pk}


def _attachment(owner, village):
    from django.core.files.base import ContentFile

    project = _project(owner, village)
    attachment = Attachment.objects.filter(project=project).first()
    if attachment is None:
        attachment = Attachment(project=project, kind="document", title="批复")
        attachment.file.save("pifu.pdf", ContentFile(b"%PDF-1.4"), save=True)
    return {"pk": attachment.pk}


def _measure(village):
    measure, _ = IncomeMeasure.objects.get_or_create(
        village=village,
        title="闲置校舍出租",
        defaults={"owner_name": "王建国", "deadline": datetime.date(2025, 6, 30)},
    )
    return {"pk": measure.pk}


def _village_model(district, village):
    model, _ = DevelopmentModel.objects.get_or_create(district=district, name="资产租赁型")
    link, _ = VillageModel.objects.get_or_create(village=village, model=model)
    return {"pk": link.pk}


def _band(district):
    band, _ = IncomeBand.objects.get_or_create(
        district=district, name="10万元以下", defaults={"lower": 0, "upper": 100000}
    )
    return {"pk": band.pk}


def _pairing(district, village):
    enterprise = (
        services.enterprise_create(actor=None, unit=district, name=f"企业{village.pk}")
        if not (Pairing.objects.filter(village=village).exists())
        else None
    )
    if enterprise is not None:
        services.pairing_create(
            actor=None, village=village, enterprise=enterprise, since=datetime.date(2024, 1, 1)
        )
    return {"pk": Pairing.objects.filter(village=village).first().pk}


def _company(township):
    company = ProsperityCompany.objects.filter(township=township).first()
    if company is None:
        company = services.company_create(
            actor=None,
            township=township,
            name=f"{township.name}共富公司",
            registered_capital=Decimal(1),
        )
    return {"pk": company.pk}


def _village(w, which):
    return {"pk": (w.community_a if which == "a" else w.community_b).pk}


CASES = [
    Case("economy:figures"),
    Case("economy:village-list"),
    Case("economy:village-detail", lambda w: _village(w, "a"), lambda w: _village(w, "b")),
    Case("economy:income-record", lambda w: _village(w, "a"), lambda w: _village(w, "b")),
    Case(
        "economy:village-model-add",
        lambda w: _village(w, "a"),
        lambda w: _village(w, "b"),
        post_only=True,
    ),
    Case(
        "economy:village-model-remove",
        lambda w: _village_model(w.district, w.community_a),
        lambda w: _village_model(w.district, w.community_b),
        post_only=True,
    ),
    Case("economy:catalogue"),
    Case("economy:band-save", viewer="district_admin", post_only=True),
    Case(
        "economy:band-delete",
        lambda w: _band(w.district),
        lambda w: _band(w.other_district),
        viewer="district_admin",
        post_only=True,
    ),
    Case("economy:model-save", viewer="district_admin", post_only=True),
    Case("economy:measure-list"),
    Case("economy:measure-create"),
    Case(
        "economy:measure-edit", lambda w: _measure(w.community_a), lambda w: _measure(w.community_b)
    ),
    Case(
        "economy:measure-status",
        lambda w: _measure(w.community_a),
        lambda w: _measure(w.community_b),
        post_only=True,
    ),
    Case("economy:project-list"),
    Case("economy:project-create"),
    Case(
        "economy:project-detail",
        lambda w: _project_pk(w.township_a, w.community_a),
        lambda w: _project_pk(w.township_b, w.community_b),
    ),
    Case(
        "economy:project-edit",
        lambda w: _project_pk(w.township_a, w.community_a),
        lambda w: _project_pk(w.township_b, w.community_b),
    ),
    Case(
        "economy:project-status",
        lambda w: _project_pk(w.township_a, w.community_a),
        lambda w: _project_pk(w.township_b, w.community_b),
        post_only=True,
    ),
    Case(
        "economy:milestone-add",
        lambda w: _project_pk(w.township_a, w.community_a),
        lambda w: _project_pk(w.township_b, w.community_b),
        post_only=True,
    ),
    Case(
        "economy:funding-set",
        lambda w: _project_pk(w.township_a, w.community_a),
        lambda w: _project_pk(w.township_b, w.community_b),
        post_only=True,
    ),
    Case(
        "economy:attachment-add",
        lambda w: _project_pk(w.township_a, w.community_a),
        lambda w: _project_pk(w.township_b, w.community_b),
        post_only=True,
    ),
    Case(
        "economy:milestone-record",
        lambda w: _milestone(w.township_a, w.community_a),
        lambda w: _milestone(w.township_b, w.community_b),
        post_only=True,
    ),
    Case(
        "economy:milestone-delete",
        lambda w: _milestone(w.township_a, w.community_a),
        lambda w: _milestone(w.township_b, w.community_b),
        post_only=True,
    ),
    Case(
        "economy:attachment-file",
        lambda w: _attachment(w.township_a, w.community_a),
        lambda w: _attachment(w.township_b, w.community_b),
    ),
    Case("economy:pairing-list"),
    Case("economy:pairing-create"),
    Case(
        "economy:pairing-detail",
        lambda w: _pairing(w.district, w.community_a),
        lambda w: _pairing(w.district, w.community_b),
    ),
    Case(
        "economy:pairing-result",
        lambda w: _pairing(w.district, w.community_a),
        lambda w: _pairing(w.district, w.community_b),
        post_only=True,
    ),
    Case(
        "economy:pairing-end",
        lambda w: _pairing(w.district, w.community_a),
        lambda w: _pairing(w.district, w.community_b),
        post_only=True,
    ),
    Case("economy:enterprise-list"),
    Case("economy:enterprise-create"),
    Case("economy:company-list"),
    Case("economy:company-create"),
    Case(
        "economy:company-detail",
        lambda w: _company(w.township_a),
        lambda w: _company(w.township_b),
    ),
    Case(
        "economy:company-share",
        lambda w: _company(w.township_a),
        lambda w: _company(w.township_b),
        post_only=True,
    ),
    Case(
        "economy:company-year",
        lambda w: _company(w.township_a),
        lambda w: _company(w.township_b),
        post_only=True,
    ),
    Case("economy:import", lambda w: {"kind": "incomes"}),
    Case("economy:export", lambda w: {"kind": "projects"}),
]
