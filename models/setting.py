"""Clinic settings as key/value pairs (values are JSON)."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.base import time_field


class Setting(SQLModel, table=True):
    key: str = Field(primary_key=True, max_length=100)
    value: str = Field(default="null")
    updated_at: datetime = time_field()
    updated_by_id: int | None = Field(default=None, foreign_key="staff.id")
