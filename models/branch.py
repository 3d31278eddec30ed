"""A branch of a chain: one clinic or centre. A SQLite store is a single branch (id 1)."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.base import time_field

#: The branch every row belongs to in a SQLite store, and the first one of a chain.
FIRST_BRANCH_ID = 1


class Branch(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, unique=True)
    name: str = Field(default="", max_length=100)
    created_at: datetime = time_field()


class BranchRole(SQLModel, table=True):
    """A counter's database role (PostgreSQL) and a branch it may work for; a role never
    listed here may work for every branch (the owner, a chain manager)."""

    __tablename__ = "branch_role"

    role_name: str = Field(primary_key=True, max_length=63)
    branch_id: int = Field(primary_key=True, foreign_key="branch.id")
