"""Video analysis: tamper detection and motion activity on small grey frames.

A pure library (no web framework, no command line): `frames` turns a video into timed grey
images cheaply, `detectors` and `motion` are per-camera state machines fed those images that
raise start/end events. The live recorder and `camwarden analyze` feed them the same way.
"""
