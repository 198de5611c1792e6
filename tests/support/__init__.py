"""Helpers for tests that need real things outside the process (RTSP cameras, test video)."""
