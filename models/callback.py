"""Callback rules, the callbacks they make, attempts and the survey when reached."""

from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field

from models.base import BranchOwned, Stamped, time_field


class CallbackRule(Stamped, table=True):
    __tablename__ = "callback_rule"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)
    event: str = Field(max_length=20)  # first_visit, deal_closed, check_out
    days_after: int = Field(default=1)
    active: bool = Field(default=True)
    # The seed's rule (new customer on day D → call on D+1), made by the app, not a manager.
    builtin: bool = Field(default=False)


class Callback(BranchOwned, Stamped, table=True):
    # One callback per customer, rule and event day: generating the list is idempotent.
    __table_args__ = (UniqueConstraint("customer_id", "rule_id", "event_day", "branch_id"),)

    id: int | None = Field(default=None, primary_key=True)
    customer_id: int = Field(foreign_key="customer.id", index=True)
    rule_id: int = Field(foreign_key="callback_rule.id")
    event_day: date
    due_day: date = Field(index=True)
    status: str = Field(default="open", max_length=20, index=True)
    attempts: int = Field(default=0)
    last_outcome: str = Field(default="", max_length=20)
    next_try_at: datetime | None = time_field(nullable=True, default=None)
    flagged: bool = Field(default=False, index=True, description="low score: for the manager")
    closed_at: datetime | None = time_field(nullable=True, default=None)


class CallbackAttempt(BranchOwned, Stamped, table=True):
    __tablename__ = "callback_attempt"

    id: int | None = Field(default=None, primary_key=True)
    callback_id: int = Field(foreign_key="callback.id", index=True)
    day: date = Field(index=True)
    at: datetime = time_field()
    outcome: str = Field(max_length=20)
    retry_at: datetime | None = time_field(nullable=True, default=None)
    note: str = Field(default="")


class CallbackSurvey(BranchOwned, Stamped, table=True):
    __tablename__ = "callback_survey"

    id: int | None = Field(default=None, primary_key=True)
    callback_id: int = Field(foreign_key="callback.id", unique=True)
    front_desk_score: int | None = None
    front_desk_text: str = ""
    beautician_score: int | None = None
    beautician_text: str = ""
    consultant_score: int | None = None
    consultant_text: str = ""
    company_score: int | None = None
    company_text: str = ""
