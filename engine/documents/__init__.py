"""Printable documents of the one-stop office, rendered as HTML for the browser to print."""
