"""Exports of the office's history for tools outside the engine (process mining)."""
