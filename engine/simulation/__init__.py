"""Offices simulated through the use cases, beside the doors: a plausible past for the demo
(``history``), and the base for replaying a year of dossiers against a new version.

The service layer never imports this package; the simulation acts on the office only through
``engine.service``, as its people would.
"""
