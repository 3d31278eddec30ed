"""SQLModel tables, one module per concept. Importing this package registers them all."""

from models.audit import AuditEntry, Draft
from models.branch import FIRST_BRANCH_ID, Branch, BranchRole
from models.call import Call, Message
from models.callback import Callback, CallbackAttempt, CallbackRule, CallbackSurvey
from models.customer import CaseNumberDay, Customer, Stay
from models.day import DayEvent, PaperCount
from models.key import KeyEvent, KeyEventKind, RoomKey
from models.setting import Setting
from models.staff import Role, RotaEntry, SignIn, Staff
from models.stay import (
    Confirmation,
    Contract,
    DailyVisit,
    Deduction,
    Payment,
    Room,
    StayRequest,
)
from models.visit import (
    Appointment,
    AppointmentStatus,
    CaseFileRequest,
    Outcome,
    Visit,
    Visitor,
    VisitPath,
    VisitStatus,
)

__all__ = [
    "Appointment", "AppointmentStatus", "Confirmation", "Contract", "DailyVisit", "Deduction",
    "Payment", "Room", "StayRequest", "AuditEntry", "Branch", "BranchRole", "Call", "Callback",
    "CallbackAttempt", "CallbackRule", "CallbackSurvey", "CaseFileRequest", "CaseNumberDay",
    "Customer", "DayEvent", "Draft", "FIRST_BRANCH_ID", "KeyEvent", "KeyEventKind",
    "Message", "Outcome", "PaperCount", "Role", "RoomKey", "RotaEntry", "Setting", "SignIn",
    "Staff", "Stay", "Visit", "VisitPath", "VisitStatus", "Visitor",
]
