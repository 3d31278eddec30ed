"""Domain errors: one type per domain, each with a message a receptionist understands."""

from reception.i18n import t


class ReceptionError(Exception):
    """A rule said no. ``str(error)`` is the translated message for the user."""

    def __init__(self, message_key: str, **params: object) -> None:
        self.message_key = message_key
        self.params = params
        super().__init__(message_key)

    def __str__(self) -> str:
        return t(self.message_key, **self.params)


class DatabaseError(ReceptionError):
    """The database file cannot be used (missing, locked, read-only, not SQLite, newer)."""


class AuthError(ReceptionError):
    pass


class StaffError(ReceptionError):
    pass


class ValidationError(ReceptionError):
    """A field's value breaks its rule; ``field`` names the field."""

    def __init__(self, field: str, message_key: str, **params: object) -> None:
        super().__init__(message_key, **params)
        self.field = field


class DayClosedError(ReceptionError):
    """A write to a signed-off day."""
