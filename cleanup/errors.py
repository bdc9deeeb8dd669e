"""Errors meant for the user: one clear sentence naming the file and the problem."""


class UserError(Exception):
    """Shown as `cleanup: <message>` with a non-zero exit status, never a traceback."""
