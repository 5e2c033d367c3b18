"""Users and their roles (cross-cutting: every domain app refers to ``users.User``)."""
