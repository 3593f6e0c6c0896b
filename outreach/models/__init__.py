"""Models of the outreach app, one module per noun: liaison duties and contact activities
(duties), reception days (reception), dual reporting (dual) and red property (property)."""

from outreach.models.dual import (
    GRADE_BOUNDS,
    Grade,
    ProjectStatus,
    ReportedMember,
    ServiceProject,
    ServiceRecord,
    UnitEvaluation,
    WorkUnit,
    WorkUnitKind,
    WorkUnitPosting,
    grade_for,
)
from outreach.models.duties import *  # noqa: F403
from outreach.models.duties import __all__ as _duties_all
from outreach.models.property import (
    Estate,
    EvaluationCriterion,
    PropertyCompany,
    PropertyComplaint,
    PropertyContract,
    PropertyEvaluation,
    PropertyEvaluationScore,
)
from outreach.models.reception import (
    ReceptionDemand,
    ReceptionSchedule,
    ReceptionSession,
    Weekday,
)

__all__ = [
    "GRADE_BOUNDS",
    "Estate",
    "EvaluationCriterion",
    "Grade",
    "ProjectStatus",
    "PropertyCompany",
    "PropertyComplaint",
    "PropertyContract",
    "PropertyEvaluation",
    "PropertyEvaluationScore",
    "ReceptionDemand",
    "ReceptionSchedule",
    "ReceptionSession",
    "ReportedMember",
    "ServiceProject",
    "ServiceRecord",
    "UnitEvaluation",
    "Weekday",
    "WorkUnit",
    "WorkUnitKind",
    "WorkUnitPosting",
    "grade_for",
    *_duties_all,
]
