"""reception: the front desk of a clinic, in a terminal."""

__version__ = "0.1.0"
