"""Read use cases: one per page or endpoint, each built in one read transaction and
returning a dataclass that holds everything the page shows."""
