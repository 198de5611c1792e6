"""Capture: receive each camera's RTSP stream and record it by stream copy, never transcoding."""
