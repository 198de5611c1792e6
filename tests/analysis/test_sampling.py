"""The sampling policy: keyframes always, the frames between only while a detector decides."""

from __future__ import annotations

from camwarden.analysis.sampling import SamplingPolicy

FPS = 15
GOP = 30  # a keyframe every 2 s


def stream(seconds: float, gop: int = GOP) -> list[tuple[float, bool]]:
    return [(index / FPS, index % gop == 0) for index in range(int(seconds * FPS))]


def run(
    policy: SamplingPolicy, packets: list[tuple[float, bool]], attentive_from: float = 1e9
) -> tuple[list[float], list[float]]:
    """(decoded times, analysed times), the detectors attentive from `attentive_from` on."""
    decoded, analysed = [], []
    for t, keyframe in packets:
        if not policy.decode(t, keyframe):
            continue
        decoded.append(round(t, 3))
        if policy.analyse(t, keyframe):
            analysed.append(round(t, 3))
            policy.attend(t >= attentive_from)
    return decoded, analysed


def test_a_quiet_camera_with_two_second_keyframes_costs_one_decode_per_keyframe() -> None:
    policy = SamplingPolicy()
    decoded, analysed = run(policy, stream(12.0))
    after_first_gop = [t for t in decoded if t >= 2.0]
    assert after_first_gop == [2.0, 4.0, 6.0, 8.0, 10.0]
    assert [t for t in analysed if t >= 2.0] == after_first_gop
    assert policy.keyframe_gap_s == 2.0 and not policy.sparse


def test_while_a_detector_decides_the_frames_between_keyframes_are_analysed_twice_a_second() -> (
    None
):
    decoded, analysed = run(SamplingPolicy(), stream(8.0), attentive_from=4.0)
    assert [t for t in analysed if 4.0 <= t < 6.0] == [4.0, 4.533, 5.067, 5.6]
    assert all(t in decoded for t in (4.067, 4.133, 5.933))  # every frame of the GOP decoded


def test_a_frame_skipped_breaks_the_chain_until_the_next_keyframe() -> None:
    # Quiet at the keyframe of 4 s, attentive from the analysis of 4.5 s on: too late, the
    # frames after 4 s were not decoded, so nothing is decoded before the keyframe at 6 s.
    policy = SamplingPolicy()
    run(policy, stream(4.0))
    policy.attend(True)
    decoded, _ = run(policy, [(t, k) for t, k in stream(8.0) if 4.0 < t < 8.0], 0.0)
    assert min(decoded) == 6.0


def test_sparse_keyframes_are_filled_with_one_analysed_frame_a_second() -> None:
    policy = SamplingPolicy()
    _, analysed = run(policy, stream(16.0, gop=4 * FPS))
    assert policy.sparse
    assert [t for t in analysed if 8.0 <= t < 12.0] == [8.0, 9.0, 10.0, 11.0]


def test_the_frames_of_the_first_gop_are_sampled_until_the_keyframe_interval_is_known() -> None:
    _, analysed = run(SamplingPolicy(), stream(2.0))
    assert analysed == [0.0, 1.0]


def test_packets_lost_wait_for_the_next_keyframe() -> None:
    policy = SamplingPolicy()
    run(policy, stream(4.0), attentive_from=0.0)
    policy.broken()
    assert not policy.decode(4.0 + 1 / FPS, False)
    assert policy.decode(6.0, True)


def test_with_keyframes_a_second_apart_an_attentive_gop_still_holds_two_analysed_frames() -> None:
    # The pair that tells a frozen picture from a live one: two frames besides the keyframe.
    _, analysed = run(SamplingPolicy(), stream(8.0, gop=FPS), attentive_from=4.0)
    assert [t for t in analysed if 5.0 <= t < 6.0] == [5.0, 5.333, 5.667]


def dense_until_one_second(*, learning: bool) -> tuple[list[float], list[float]]:
    """The times decoded and analysed of a 2-s GOP stream whose frames' noise is learnt
    (dense) for its first second, while the view is learnt or after."""
    policy = SamplingPolicy()
    decoded: list[float] = []
    analysed: list[float] = []
    for t, keyframe in stream(6.0):
        if policy.decode(t, keyframe):
            decoded.append(round(t, 3))
            if policy.analyse(t, keyframe):
                analysed.append(round(t, 3))
                policy.attend(False, dense=t < 1.0, learning=learning)
    return decoded, analysed


def test_while_the_frames_noise_is_learnt_the_first_gop_is_analysed_four_times_a_second() -> None:
    decoded, analysed = dense_until_one_second(learning=False)
    assert analysed[:5] == [0.0, 0.267, 0.533, 0.8, 1.067]
    # Nothing decoded beyond the first GOP, which is decoded anyway, and the keyframes.
    assert [t for t in decoded if t >= 2.0] == [2.0, 4.0]


def test_while_learning_the_first_gop_is_decoded_only_as_far_as_the_dense_frames_need() -> None:
    # Nothing is judged while the view is learnt: once the GOP frames' noise is learnt (dense
    # until 1 s here), the rest of the first GOP is not decoded; none of it would have been
    # analysed before the keyframe at 2 s.
    decoded, analysed = dense_until_one_second(learning=True)
    assert analysed == [0.0, 0.267, 0.533, 0.8, 1.067, 2.0, 4.0]
    assert [t for t in decoded if t > 1.067] == [2.0, 4.0]


def test_while_learning_a_camera_with_sparse_keyframes_is_filled_once_its_gap_is_known() -> None:
    policy = SamplingPolicy()
    analysed: list[float] = []
    for t, keyframe in stream(12.0, gop=4 * FPS):
        if policy.decode(t, keyframe) and policy.analyse(t, keyframe):
            analysed.append(round(t, 3))
            policy.attend(False, learning=True)
    assert analysed == [0.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0]
