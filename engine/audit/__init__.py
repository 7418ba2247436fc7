"""The audit trail: hash-chained events, timelines and the process control sheet."""
