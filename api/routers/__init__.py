"""Thin routers, one per kind of user; the use cases and read models do the work."""
