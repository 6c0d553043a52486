"""The language of an article, decided from the scripts of its letters.

Arabic news quotes Latin names and acronyms (``KCNA``, ``AP``), so a text is ``"ar"`` or
``"en"`` when at least 80% of its letters are in that script, ``"mixed"`` when both
scripts have a real share, and ``""`` when it has no Arabic or Latin letters at all.
Latin script is labelled ``"en"``: the collections this engine serves are Arabic with
English beside it. A detector library would add a dependency to tell English from French,
which nothing here uses.
"""

import unicodedata

DOMINANT_SHARE = 0.8
# Enough letters to decide; long articles need not be read to the end.
SAMPLE_CHARS = 20_000


def detect_language(text):
    """``"ar"``, ``"en"``, ``"mixed"`` or ``""``.

    >>> detect_language("التقى لافروف كيم جونغ أون، وفقاً لـ KCNA")
    'ar'
    """
    arabic = latin = 0
    for char in text[:SAMPLE_CHARS]:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        if name.startswith("ARABIC"):
            arabic += 1
        elif name.startswith("LATIN"):
            latin += 1
    letters = arabic + latin
    if not letters:
        return ""
    if arabic >= DOMINANT_SHARE * letters:
        return "ar"
    if latin >= DOMINANT_SHARE * letters:
        return "en"
    return "mixed"
