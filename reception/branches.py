"""A chain's branches: listed, and added on a PostgreSQL server (``reception branch``).

A SQLite file is a single branch (``main``, id 1): adding one there is refused. On a server
the ``branch`` table is the chain's own, not a branch's: it is written outside any branch
(no ``reception.branch`` setting), in the same queue as every other write.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session, select

from models import Branch
from reception import audit
from reception.clock import clock
from reception.errors import ReceptionError
from reception.server_store import ALL_BRANCHES

CODE = re.compile(r"[a-z0-9][a-z0-9_-]{0,19}")
NAME_MAX = 100


class BranchError(ReceptionError):
    pass


def list_branches(session: Session) -> list[Branch]:
    return list(session.exec(select(Branch).order_by(Branch.id)).all())


def check_code(code: str) -> str:
    if not CODE.fullmatch(code) or code == ALL_BRANCHES:
        raise BranchError("branch.bad_code", code=code)
    return code


def add_branch(session: Session, code: str, name: str) -> Branch:
    """A new branch of the chain (in ``chain_write``: a server's); BranchError for a bad or
    taken code or a bad name."""
    check_code(code)
    name = name.strip()
    if not name or len(name) > NAME_MAX or not name.isprintable():
        raise BranchError("branch.bad_name")
    if session.exec(select(Branch).where(Branch.code == code)).first() is not None:
        raise BranchError("branch.code_taken", code=code)
    branch = Branch(code=code, name=name, created_at=clock.now_utc())
    session.add(branch)
    session.flush()
    # The new branch's audit trail starts with its making (an entry belongs to a branch:
    # this transaction now writes as the new one).
    session.execute(text("SELECT set_config('reception.branch', :branch, true)"),
                    {"branch": str(branch.id)})
    audit.record(session, by=None, action="branch_add", record_type="branch",
                 record_id=branch.id, code=code, name=name)
    session.flush()
    return branch


@contextmanager
def chain_write(database) -> Iterator[Session]:
    """A unit of work on the chain's own tables (a server only): outside any branch,
    queued behind every other write."""
    if database.dialect != "postgresql":
        raise BranchError("branch.single_on_sqlite", path=database.path)
    from reception.server_store import translate

    writer = database.engine.execution_options(reception_write=True)
    try:
        with Session(writer, expire_on_commit=False) as session:
            yield session
            session.commit()
    except IntegrityError:
        raise
    except DBAPIError as error:
        raise translate(error, database.path) from error


def counter_role_branches(session: Session) -> tuple[str, list[str], str]:
    """On a server: (the role signed in, the codes of the branches ``branch_role`` holds it
    to — none for the owner or a chain manager —, the role owning the tables)."""
    row = session.execute(text(
        "SELECT current_user AS role, (SELECT tableowner FROM pg_tables WHERE schemaname = "
        "'public' AND tablename = 'branch') AS owner, ARRAY(SELECT b.code FROM branch_role r "
        "JOIN branch b ON b.id = r.branch_id WHERE r.role_name = current_user "
        "ORDER BY b.code) AS codes")).one()
    return row.role, list(row.codes), row.owner
