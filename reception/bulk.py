"""Inserts that skip rows already on file, in the dialect of the store at hand."""

from sqlmodel import Session


def insert_ignoring(session: Session, model, rows: list[dict], unique: list[str]) -> int:
    """Insert ``rows`` of ``model``, skipping those that clash on the ``unique`` columns;
    the number inserted."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(model).on_conflict_do_nothing(index_elements=unique)
    result = session.connection().execute(statement, rows)
    inserted = result.rowcount
    return inserted if inserted is not None and inserted >= 0 else len(rows)
