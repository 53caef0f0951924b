"""The dashboard's roles: each opens its own pages (dashboard/navigation.py) and its own Overview."""

from __future__ import annotations

ROLES = ("marketing", "manager", "compliance", "admin")
# The roles that work on data-subject requests: they open the Rights page (dashboard/navigation.py), and only
# their accounts can own a request.
RIGHTS_ROLES = frozenset({"compliance", "admin"})
