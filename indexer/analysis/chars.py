"""Named Arabic characters, so rule tables read as letters rather than code points.

Names follow the Unicode standard (Arabic block U+0600-U+06FF). The letters come from
pyarabic; the mark ranges and the Persian/Urdu forms, which pyarabic does not name, are ours.
"""

# The Arabic letters by their Unicode names, from pyarabic's table.
from pyarabic.araby import (
    ALEF,
    ALEF_HAMZA_ABOVE,
    ALEF_HAMZA_BELOW,
    ALEF_MADDA,
    ALEF_MAKSURA,
    BEH,
    FEH,
    GHAIN,
    HAMZA,
    HEH,
    JEEM,
    KAF,
    LAM,
    NOON,
    SEEN,
    TATWEEL,
    TEH,
    TEH_MARBUTA,
    WAW,
    WAW_HAMZA,
    YEH,
    YEH_HAMZA,
    ZAIN,
)

SUPERSCRIPT_ALEF = "\u0670"      # ٰ  (dagger alef)
ALEF_WASLA = "\u0671"            # ٱ

# Harakat, tanwin, shadda and sukun: FATHATAN U+064B ... SUKUN U+0652, then the
# extended marks U+0653-U+065F (maddah above, hamza above/below, subscript alef, ...).
HARAKAT = [chr(c) for c in range(0x064B, 0x0660)]
# Quranic annotation signs: honorifics U+0610-U+061A and small high/low marks
# U+06D6-U+06ED (sajdah, waqf signs, small letters) found in vocalised religious text.
QURANIC_MARKS = [chr(c) for c in range(0x0610, 0x061B)] + [
    chr(c) for c in range(0x06D6, 0x06EE) if c not in (0x06E5, 0x06E6, 0x06EE)
]
SMALL_WAW = "\u06e5"             # ۥ small waw (Quranic spelling of a long vowel)
SMALL_YEH = "\u06e6"             # ۦ small yeh
ZWNJ = "\u200c"                  # zero width non-joiner, inside Persian-style words
ZWJ = "\u200d"                   # zero width joiner

# Persian, Urdu and Kurdish letter forms that stand for an Arabic letter.
KEHEH = "\u06a9"                 # ک
SWASH_KAF = "\u06aa"             # ڪ
GAF = "\u06af"                   # گ
FARSI_YEH = "\u06cc"             # ی
YEH_BARREE = "\u06d2"            # ے
AE = "\u06d5"                    # ە
HEH_DOACHASHMEE = "\u06be"       # ھ
HEH_GOAL = "\u06c1"              # ہ
HEH_YEH = "\u06c0"               # ۀ
TEH_MARBUTA_GOAL = "\u06c3"      # ۃ
VEH = "\u06a4"                   # ڤ
PEH = "\u067e"                   # پ
TCHEH = "\u0686"                 # چ
JEH = "\u0698"                   # ژ

ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"      # U+0660-U+0669
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"           # U+06F0-U+06F9 (extended Arabic-Indic)
WESTERN_DIGITS = "0123456789"
ARABIC_THOUSANDS_SEPARATOR = "\u066c"   # ٬
ARABIC_DECIMAL_SEPARATOR = "\u066b"     # ٫

# Digits are handled here once: what readers type (Arabic-Indic or Persian) is read as
# ASCII digits by the analysis, dates and parameters; what readers see is written back
# in Arabic-Indic digits.
TO_WESTERN_DIGITS = str.maketrans(ARABIC_INDIC_DIGITS + PERSIAN_DIGITS, WESTERN_DIGITS * 2)
TO_ARABIC_INDIC_DIGITS = str.maketrans(WESTERN_DIGITS, ARABIC_INDIC_DIGITS)


def western_digits(text):
    """``western_digits("٢٠ يوليو ۲۰۲۵")`` -> ``"20 يوليو 2025"``."""
    return text.translate(TO_WESTERN_DIGITS)


def arabic_digits(value):
    """``arabic_digits(2025)`` -> ``"٢٠٢٥"``; nothing but the digits changes."""
    return str(value).translate(TO_ARABIC_INDIC_DIGITS)
