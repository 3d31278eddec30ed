"""A PostgreSQL failure as one line for the user: its SQLSTATE (or, without one, what the
driver said) → a ``db.*`` message key (``reception.server_store``)."""

from sqlalchemy.exc import DBAPIError as StoreFailure

from reception.errors import DatabaseError


def translate(error: StoreFailure, path: str) -> DatabaseError:
    return translate_driver(error.orig if error.orig is not None else error, path)


#: SQLSTATE (or its class, the first two characters) → message key.
SQLSTATES = {
    "55P03": "db.locked",  # lock_not_available: lock_timeout ran out
    "57014": "db.locked",  # query_canceled (statement_timeout)
    "40P01": "db.locked",  # deadlock_detected: tried again, like a busy lock
    "53100": "db.disk_full",
    "25006": "db.read_only",
    "28P01": "db.auth_failed",
    "28000": "db.auth_failed",
    "3D000": "db.no_such_server_database",
    "42501": "db.not_allowed",
    "08": "db.unavailable",
    "57P": "db.unavailable",  # the server shutting down
}


def _client_side(error: BaseException) -> bool:
    import psycopg

    return isinstance(error, psycopg.DataError | psycopg.ProgrammingError)


def translate_driver(error: BaseException, path: str) -> DatabaseError:
    state = getattr(error, "sqlstate", None) or ""
    key = SQLSTATES.get(state) or SQLSTATES.get(state[:3]) or SQLSTATES.get(state[:2])
    message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if key is None and not state:
        lowered = message.lower()
        if "password" in lowered and "fail" in lowered:
            key = "db.auth_failed"
        elif "does not exist" in lowered and "database" in lowered:
            key = "db.no_such_server_database"
        elif _client_side(error):  # refused by the driver before it reached the server
            key = None
        else:  # no SQLSTATE: the connection itself failed (refused, reset, timed out)
            key = "db.unavailable"
    if key == "db.unavailable":
        return DatabaseError(key, path=path, reason=message.removeprefix("connection failed: "))
    if key is None:
        return DatabaseError("db.error", path=path, reason=message)
    return DatabaseError(key, path=path)
