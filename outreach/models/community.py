"""Models of the community part: reception day, dual reporting and 'red property'."""

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
]
