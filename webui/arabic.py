"""Numbers, counts and dates written for Arabic readers, as Jinja filters."""

from datetime import date, datetime

from indexer.analysis.chars import (
    ARABIC_DECIMAL_SEPARATOR,
    ARABIC_THOUSANDS_SEPARATOR,
    arabic_digits,
)


def number(value, decimals=0):
    """``12345`` -> ``"١٢٬٣٤٥"``; ``number(0.25, 2)`` -> ``"٠٫٢٥"``."""
    western = f"{value:,.{decimals}f}"
    western = western.replace(",", ARABIC_THOUSANDS_SEPARATOR).replace(".", ARABIC_DECIMAL_SEPARATOR)
    return arabic_digits(western)


def digits(text):
    """Western digits in ``text`` as Arabic-Indic ones, nothing else changed (years,
    codes): ``digits("2025")`` -> ``"٢٠٢٥"``."""
    return arabic_digits(text)


def counted(n, one, two, plural, singular, none=None):
    """``n`` with its noun in the form Arabic grammar gives each count: one and two have
    their own words, 3 to 10 (and 103 to 110...) take the plural, 11 and up the singular
    (accusative): ``counted(7, "نتيجة واحدة", "نتيجتان", "نتائج", "نتيجة")`` -> ``"٧ نتائج"``."""
    if n == 0 and none is not None:
        return none
    if n == 1:
        return one
    if n == 2:
        return two
    return f"{number(n)} {plural if 3 <= n % 100 <= 10 else singular}"


def results_count(n):
    """``results_count(7)`` -> ``"٧ نتائج"``, ``results_count(25)`` -> ``"٢٥ نتيجة"``."""
    return counted(n, "نتيجة واحدة", "نتيجتان", "نتائج", "نتيجة", none="لا نتائج")


def seconds(milliseconds):
    """A search time: ``seconds(42.7)`` -> ``"٠٫٠٤ ثانية"``."""
    if milliseconds < 10:
        # Rounded to hundredths it would read as zero seconds.
        return f"أقل من {number(0.01, 2)} ثانية"
    return f"{number(milliseconds / 1000, 2)} ثانية"


# The month names of Egypt and the Gulf, the ones most Arabic news sites print.
MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
          "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر")


def arabic_date(value):
    """A day as Arabic readers write it: ``arabic_date("2025-07-15")`` -> ``"١٥ يوليو ٢٠٢٥"``.
    Takes a ``date``, a ``datetime`` or an ISO ``YYYY-MM-DD`` string; ``""`` for none."""
    if not value:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    elif isinstance(value, datetime):
        value = value.date()
    return f"{digits(value.day)} {MONTHS[value.month - 1]} {digits(value.year)}"


def month_year(value):
    """A month as a chart labels it: ``month_year(date(2025, 7, 1))`` -> ``"يوليو ٢٠٢٥"``."""
    return f"{MONTHS[value.month - 1]} {digits(value.year)}"


def day_month(value):
    """A day without its year: ``day_month(date(2025, 7, 20))`` -> ``"٢٠ يوليو"``."""
    return f"{digits(value.day)} {MONTHS[value.month - 1]}"


def articles_count(n):
    """``articles_count(2)`` -> ``"مقالان"``, ``articles_count(12)`` -> ``"١٢ مقالًا"``."""
    return counted(n, "مقال واحد", "مقالان", "مقالات", "مقالًا", none="لا مقالات")


def reports_count(n):
    """``reports_count(1)`` -> ``"تقرير واحد"``, ``reports_count(5)`` -> ``"٥ تقارير"``."""
    return counted(n, "تقرير واحد", "تقريران", "تقارير", "تقريرًا")


def outlets_count(n):
    """How many outlets, after "من" (so two is genitive): ``outlets_count(1)`` ->
    ``"مصدر واحد"``, ``outlets_count(2)`` -> ``"مصدرين"``, ``outlets_count(4)`` -> ``"٤ مصادر"``."""
    return counted(n, "مصدر واحد", "مصدرين", "مصادر", "مصدرًا")


def other_reports(n):
    """How many other reports tell the same story: ``other_reports(1)`` -> ``"تقرير آخر"``,
    ``other_reports(4)`` -> ``"٤ تقارير أخرى"``."""
    return counted(n, "تقرير آخر", "تقريران آخران", "تقارير أخرى", "تقريرًا آخر")


def register_filters(app):
    app.add_template_filter(number, "arabic_number")
    app.add_template_filter(digits, "arabic_digits")
    app.add_template_filter(results_count)
    app.add_template_filter(seconds)
    app.add_template_filter(arabic_date)
    app.add_template_filter(other_reports)
    app.add_template_filter(month_year)
    app.add_template_filter(day_month)
    app.add_template_filter(articles_count)
    app.add_template_filter(reports_count)
    app.add_template_filter(outlets_count)
