"""Exceptions meant for users: the CLI prints their message on one line and exits non-zero."""

from __future__ import annotations

__all__ = ["CnnnotesError"]


class CnnnotesError(Exception):
    """Base of every error a user can cause and fix (bad input, missing data, stale results)."""
