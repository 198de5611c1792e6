"""The disk forecast's arithmetic (R-8.1): rate, room, days until pressure, retention fit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from camwarden.retention.forecast import MIN_RATE_WINDOW, bytes_per_day, forecast_disk

GB = 1_000_000_000


def test_a_full_day_of_recording_is_its_own_rate() -> None:
    assert bytes_per_day(55 * GB, timedelta(hours=24)) == pytest.approx(55 * GB)


def test_a_young_index_is_scaled_to_a_day() -> None:
    assert bytes_per_day(GB, timedelta(hours=6)) == pytest.approx(4 * GB)


def test_too_little_recording_gives_no_rate() -> None:
    assert bytes_per_day(GB, MIN_RATE_WINDOW - timedelta(seconds=1)) is None
    assert bytes_per_day(0, timedelta(0)) is None


def test_the_days_left_are_the_room_above_the_margin_over_the_rate() -> None:
    forecast = forecast_disk(
        total=2000 * GB,
        used=1330 * GB,
        free=670 * GB,
        margin=10 * GB,
        footage=1300 * GB,
        rate=55 * GB,
        retention_days=30,
    )
    assert forecast.room == 660 * GB
    assert forecast.days_until_pressure == pytest.approx(12.0)
    # 1300 GB kept + 660 GB of room = 1960 GB, 35.6 days at 55 GB a day.
    assert forecast.capacity_days == pytest.approx(1960 / 55)
    assert forecast.retention_bytes == pytest.approx(30 * 55 * GB)
    assert forecast.retention_fits is True
    assert not forecast.too_small


def test_a_retention_longer_than_the_disk_holds_does_not_fit() -> None:
    forecast = forecast_disk(
        total=1000 * GB,
        used=400 * GB,
        free=600 * GB,
        margin=10 * GB,
        footage=390 * GB,
        rate=50 * GB,
        retention_days=30,
    )
    # 390 + 590 = 980 GB: 19.6 days, under the 30 the cameras keep.
    assert forecast.capacity_days == pytest.approx(19.6)
    assert forecast.retention_fits is False
    assert forecast.too_small


def test_a_disk_already_under_its_margin_has_no_room_not_negative_room() -> None:
    forecast = forecast_disk(
        total=100 * GB,
        used=95 * GB,
        free=5 * GB,
        margin=10 * GB,
        footage=90 * GB,
        rate=10 * GB,
        retention_days=15,
    )
    assert forecast.room == 0
    assert forecast.days_until_pressure == 0
    assert forecast.capacity_days == pytest.approx(9.0)
    assert forecast.too_small


def test_without_a_rate_nothing_is_forecast_and_nothing_is_alerted() -> None:
    forecast = forecast_disk(
        total=100 * GB,
        used=10 * GB,
        free=90 * GB,
        margin=10 * GB,
        footage=0,
        rate=None,
        retention_days=30,
    )
    assert forecast.days_until_pressure is None
    assert forecast.capacity_days is None
    assert forecast.retention_fits is None
    assert not forecast.too_small


def test_at_a_zero_rate_the_disk_never_fills_and_any_retention_fits() -> None:
    forecast = forecast_disk(
        total=100 * GB,
        used=10 * GB,
        free=90 * GB,
        margin=10 * GB,
        footage=5 * GB,
        rate=0.0,
        retention_days=30,
    )
    assert forecast.days_until_pressure is None
    assert forecast.retention_fits is True


def test_without_a_camera_in_service_the_fit_is_unknown() -> None:
    forecast = forecast_disk(
        total=100 * GB,
        used=10 * GB,
        free=90 * GB,
        margin=10 * GB,
        footage=5 * GB,
        rate=GB,
        retention_days=None,
    )
    assert forecast.days_until_pressure == pytest.approx(80.0)
    assert forecast.retention_fits is None
    assert not forecast.too_small


def test_an_empty_disk_reading_gives_zero_fractions_not_a_division_error() -> None:
    forecast = forecast_disk(
        total=0, used=0, free=0, margin=0, footage=0, rate=None, retention_days=None
    )
    assert forecast.used_fraction == 0.0
    assert forecast.footage_fraction == 0.0
