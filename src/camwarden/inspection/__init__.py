"""The acceptance inspection (R-2.1, R-2.2) and re-inspection (R-8.1) of a camera.

`measure` reads the real stream, `profiles` says what each kind of zone needs, `security`
checks from outside what QCVN 135:2024/BTTTT asks of the camera, `drift` compares a
re-inspection with the reference view, and `service` keeps the signed-off record. Nothing here
knows about HTTP or the command line.
"""
