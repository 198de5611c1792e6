"""`make eval`: how well tamper detection works, measured on labelled scenarios.

Scenarios (`scenarios.py`) are drawn with a fixed seed from ranges: a base scene (real footage
from ../shared/samples or a generated still), what happens to the camera and when (the
label: kind, onset, end, strength) and the ordinary life around it (people close to the lens,
lights, the infra-red switch, daylight, clouds, sensor noise). `clips.py` renders each one
with ffmpeg as a camera would send it (H.264 720p, 15 fps, GOP 2 s or 1 s), cached;
`detection.py` runs the detectors on it exactly as live; `scoring.py` matches events to
labels; `__main__.py` prints the table.
"""
