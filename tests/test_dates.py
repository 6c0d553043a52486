"""Publication dates as Arabic and international news sites print them."""

from datetime import datetime, timedelta, timezone

import pytest

from indexer.sources.dates import parse_date

JULY_15 = datetime(2025, 7, 15)


@pytest.mark.parametrize(
    "written",
    [
        "15 يوليو 2025",
        "١٥ يوليو ٢٠٢٥",
        "الثلاثاء 15 يوليو 2025م",
        "15 يولية 2025",
        "15 تموز 2025",
        "الثلاثاء، ١٥ تموز ٢٠٢٥ م",
        "15 جويلية 2025",
        "2025/07/15",
        "٢٠٢٥/٠٧/١٥",
        "15/07/2025",
        "15-7-2025",
        "15.07.2025",
        "2025-07-15",
        "July 15, 2025",
        "15 Jul 2025",
        "\u200f15 يوليو 2025\u200f",
    ],
)
def test_the_same_day_written_every_common_way(written):
    assert parse_date(written) == JULY_15


@pytest.mark.parametrize(
    ("gulf", "levant", "month"),
    [
        ("يناير", "كانون الثاني", 1),
        ("فبراير", "شباط", 2),
        ("مارس", "آذار", 3),
        ("أبريل", "نيسان", 4),
        ("مايو", "أيار", 5),
        ("يونيو", "حزيران", 6),
        ("يوليو", "تموز", 7),
        ("أغسطس", "آب", 8),
        ("سبتمبر", "أيلول", 9),
        ("أكتوبر", "تشرين الأول", 10),
        ("نوفمبر", "تشرين الثاني", 11),
        ("ديسمبر", "كانون الأول", 12),
    ],
)
def test_both_arabic_month_series_with_arabic_indic_digits(gulf, levant, month):
    expected = datetime(2024, month, 3)
    assert parse_date(f"٣ {gulf} ٢٠٢٤") == expected
    assert parse_date(f"٣ {levant} ٢٠٢٤") == expected


@pytest.mark.parametrize("spelling", ["أبريل", "ابريل", "إبريل", "أبريـــل", "أَبْرِيل"])
def test_month_names_in_any_hamza_spelling_with_tatweel_or_diacritics(spelling):
    assert parse_date(f"9 {spelling} 2025") == datetime(2025, 4, 9)


def test_two_word_levantine_months_are_not_confused():
    assert parse_date("1 تشرين الثاني 2023") == datetime(2023, 11, 1)
    assert parse_date("1 كانون الثاني 2023") == datetime(2023, 1, 1)
    assert parse_date("1 كانون  الأول 2023") == datetime(2023, 12, 1)


def test_times_of_day_in_arabic_with_morning_and_evening_marks():
    assert parse_date("١٥ يوليو ٢٠٢٥ - ١٠:٣٠ م") == datetime(2025, 7, 15, 22, 30)
    assert parse_date("15 يوليو 2025 الساعة 10:30 صباحاً") == datetime(2025, 7, 15, 10, 30)
    assert parse_date("15/07/2025 12:05 ص") == datetime(2025, 7, 15, 0, 5)


def test_zones_are_converted_to_utc():
    assert parse_date("Tue, 15 Jul 2025 10:30:00 +0300") == datetime(2025, 7, 15, 7, 30)
    assert parse_date("2025-07-15T10:30:00+03:00") == datetime(2025, 7, 15, 7, 30)
    assert parse_date("2025-07-15T10:30:00Z") == datetime(2025, 7, 15, 10, 30)
    assert parse_date("2025-07-15 10:30:00 +0300") == datetime(2025, 7, 15, 7, 30)
    aware = datetime(2025, 7, 15, 1, 0, tzinfo=timezone(timedelta(hours=3)))
    assert parse_date(aware) == datetime(2025, 7, 14, 22, 0)


def test_unix_times_as_numbers_or_digits():
    assert parse_date(1752573600) == datetime(2025, 7, 15, 10, 0)
    assert parse_date("1752573600") == datetime(2025, 7, 15, 10, 0)


@pytest.mark.parametrize(
    "not_a_date",
    ["", "   ", "قبل ساعتين", "أمس", "12 رمضان 1446 هـ", "1446 هجري", "31/02/2025", "15 يوليو", None, ["2025"], True],
)
def test_what_is_not_a_gregorian_date_gives_none(not_a_date):
    assert parse_date(not_a_date) is None
