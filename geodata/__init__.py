"""The world as reference data: councils, the schools register, SEN2 statistics, spending, small areas."""

from core.errors import PlacewiseError
from geodata.register import Register, load_register

__all__ = ["PlacewiseError", "Register", "load_register"]
