"""The user-facing build error, in a module of its own so geometry and build can both raise it."""

from __future__ import annotations


class DatasetError(ValueError):
    """The data cannot be built into a store; the message is German and meant for the user."""
