"""Use cases, each one unit of work: deploy, submit, claim, release, reassign, complete."""
