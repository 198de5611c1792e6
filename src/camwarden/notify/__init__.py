"""Sending messages outside the browser: Apprise behind one small interface."""
