"""Printable documents: the written records and reports people sign."""
