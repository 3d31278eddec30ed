"""Text longer than its column holds is refused at its field, before anything is written.

PostgreSQL refuses such a row outright, SQLite keeps it whole: checked here, once, for every
record either store writes, so both say the same clear thing at the field.
"""

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from reception.errors import ValidationError


def check_lengths(session: Session, _context, _instances) -> None:
    for record in (*session.new, *session.dirty):
        mapper = inspect(record).mapper
        for column in mapper.columns:
            limit = getattr(column.type, "length", None)  # VARCHAR(n), SQLModel's too
            if not isinstance(limit, int):
                continue
            value = getattr(record, column.key, None)
            if isinstance(value, str) and len(value) > limit:
                raise ValidationError(column.key, "field.too_long", limit=limit,
                                      length=len(value))


event.listen(Session, "before_flush", check_lengths)
