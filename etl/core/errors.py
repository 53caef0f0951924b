"""Errors for people: each carries one line that says what and where, and the CLI exit code."""

from __future__ import annotations


class VcarError(Exception):
    """An expected failure: printed as one line, never as a traceback."""

    exit_code = 1


class ConfigError(VcarError):
    """A wrong setting, argument or config file (exit 2)."""

    exit_code = 2


class FieldError(ConfigError):
    """A bad value of one named field (exit 2). The CLI says it with the field's option (``--received: ...``), a
    form with the field's label (``Received on: ...``), so neither speaks the other's words."""

    def __init__(self, field: str, message: str) -> None:
        self.field, self.message = field, message
        super().__init__(f"--{field.replace('_', '-')}: {message}")

    def in_words(self, labels: dict[str, str]) -> str:
        return f"{labels.get(self.field, self.field.replace('_', ' ').capitalize())}: {self.message}"


class InputError(VcarError):
    """A file or value from outside that cannot be used (exit 1)."""


class WarehouseBusy(VcarError):
    """The warehouse stayed locked by another process longer than we wait."""


class PageTimeout(VcarError):
    """A dashboard page's warehouse reads ran past ``page_timeout_seconds`` and were interrupted."""
