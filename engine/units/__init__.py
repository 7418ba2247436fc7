"""Administrative units as data: read a units file and check it before anything is stored.

``read_units(name, text)`` returns the units or raises ``UnitsInvalid`` with every problem,
each located as ``file:line: unit 'CODE': message``.
"""

from engine.units.checks import UnitRow, check_units
from engine.units.csv_format import COLUMNS, parse_units, read_units

__all__ = ["COLUMNS", "UnitRow", "check_units", "parse_units", "read_units"]
