"""Evidence packages (R-4.3): footage exported by stream copy, signed, verifiable offline.

- `signing`: the installation's Ed25519 key and its fingerprint (the key id).
- `clips`: one MP4 per camera and time range, cut at keyframes, from the recorded segments.
- `package`: the files of a package, their names, and the canonical form of the manifest.
- `_ranges`: the requested time ranges, checked before anything is read.
- `export`: who may export what, writing the package, and locking the source footage.
- `verify`: checking a package with nothing but the package (and, better, a trusted key).

No web framework and no command-line library here: both adapters call these functions.
"""
