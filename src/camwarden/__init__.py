"""camwarden: CCTV management for schools, run by the school's own regulation."""

__version__ = "0.1.0"
