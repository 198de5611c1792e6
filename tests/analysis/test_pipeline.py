"""The live path's decoding: what it skips to stay cheap, and what that costs the picture."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import numpy.typing as npt

from camwarden.analysis.pipeline import analyze_packets_of
from tests.analysis.conftest import FPS, normal, write_clip


def grey_of(picture: av.VideoFrame) -> npt.NDArray[np.float32]:
    return picture.to_ndarray(format="gray").astype(np.float32)


def test_the_analysis_skips_the_deblocking_filter_and_its_pictures_barely_change(
    tmp_path: Path,
) -> None:
    # The clip is encoded as cameras encode (deblocking on): a full decode filters block
    # edges, the analysis' decode does not. Skipped, the pictures differ (else the option
    # was ignored), by far less than a grey level on average.
    clip = write_clip(tmp_path / "camera.mp4", normal, seconds=10.0)
    with av.open(str(clip)) as container:
        filtered = [grey_of(frame) for frame in container.decode(video=0)]
    differences = [
        float(np.abs(grey_of(a.picture) - filtered[round(a.frame.t * FPS)]).mean())
        for a in analyze_packets_of(clip)
    ]
    assert len(differences) >= 10
    assert max(differences) > 0.0
    assert float(np.mean(differences)) < 0.5
