"""SQLModel tables, one module per concept. Importing this package registers them all."""

from models.audit import AuditEntry, Draft
from models.branch import FIRST_BRANCH_ID, Branch, BranchRole
from models.call import Call, Message
from models.callback import Callback, CallbackAttempt, CallbackRule, CallbackSurvey
from models.customer import CaseNumberDay, Customer, Stay
from models.day import DayEvent, PaperCount
from models.key import KeyEvent, KeyEventKind, RoomKey
from models.logbook import (
    ChecklistItem,
    ChecklistTick,
    Handover,
    LogEntry,
    LogKind,
    Room,
    RoomBooking,
)
from models.setting import Setting
from models.staff import Role, RotaEntry, SignIn, Staff
from models.stay import (
    Confirmation,
    Contract,
    DailyVisit,
    Deduction,
    Payment,
    StayRequest,
    StayRoom,
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
    "Appointment", "AppointmentStatus", "AuditEntry", "Branch", "BranchRole", "Call",
    "Callback", "CallbackAttempt", "CallbackRule", "CallbackSurvey", "CaseFileRequest",
    "CaseNumberDay", "ChecklistItem", "ChecklistTick", "Confirmation", "Contract",
    "Customer", "DailyVisit", "DayEvent", "Deduction", "Draft", "FIRST_BRANCH_ID", "Handover",
    "KeyEvent", "KeyEventKind", "LogEntry", "LogKind", "Message", "Outcome", "PaperCount",
    "Payment", "Role", "Room", "RoomBooking", "RoomKey", "RotaEntry", "Setting", "SignIn",
    "Staff", "Stay", "StayRequest", "StayRoom", "Visit", "VisitPath", "VisitStatus",
    "Visitor",
]
