"""Every step of the Arabic analysis chain, on real Arabic text: what goes in, which
terms come out. Each test reads as "the article says X, the index stores Y"."""

import pickle
from pathlib import Path

import pytest

from indexer.analysis import (
    PROFILES,
    exact_analyzer,
    needs_vocabulary,
    profile_analyzers,
    stemming_analyzer,
    steps,
)
from indexer.analysis.explain import explain
from indexer.analysis.normalize import (
    AlefFilter,
    AlefMaksuraFilter,
    CompatibilityFilter,
    DigitsFilter,
    HamzaSeatFilter,
    LowercaseFilter,
    PersianLettersFilter,
    StripDiacriticsFilter,
    StripTatweelFilter,
    TehMarbutaFilter,
    normalize,
)
from indexer.analysis.stemming import (
    ArabicLightStemFilter,
    EnglishStemFilter,
    light_stem,
)
from indexer.analysis.stopwords import arabic_stop_words
from indexer.analysis.tokenizer import ArabicTokenizer
from indexer.analysis.vocabulary import count_vocabulary

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def terms(analyzer, text, **kwargs):
    return [t.text for t in analyzer(text, **kwargs)]


def spans(analyzer, text):
    """``(term, startchar, endchar)`` for each token; read as the tokens go by, since
    Whoosh filters re-yield one Token object."""
    return [(t.text, t.startchar, t.endchar) for t in analyzer(text, chars=True)]


def through(step, text):
    """The terms after the tokenizer and one normalization step alone."""
    return terms(ArabicTokenizer() | step(), text)


# --- Tokenizer ----------------------------------------------------------------------


def test_tokenizer_docstring_example():
    assert [(t.text, t.startchar) for t in ArabicTokenizer()("قال: KCNA ٢٠٢٥", chars=True)] == [
        ("قال", 0),
        ("KCNA", 5),
        ("٢٠٢٥", 10),
    ]


def test_tokenizer_splits_on_arabic_punctuation_and_keeps_vocalised_words_whole():
    text = "قالَ الرَّئِيسُ: «نعم»، ثم سألَ؟ وقال “لا”؛ انتهى."
    assert terms(ArabicTokenizer(), text) == [
        "قالَ", "الرَّئِيسُ", "نعم", "ثم", "سألَ", "وقال", "لا", "انتهى",
    ]


def test_tokenizer_keeps_tatweel_and_zero_width_non_joiner_inside_a_word():
    # جمـــيل is stretched with tatweel; می‌خواهم is Persian with a ZWNJ inside.
    assert terms(ArabicTokenizer(), "جمـــيل می\u200cخواهم") == ["جمـــيل", "می\u200cخواهم"]


def test_tokenizer_latin_words_and_numbers_with_separators():
    text = "Moscow KCNA 2,5 ١٬٠٠٠ 3.14 ١٫٥ 2025."
    assert terms(ArabicTokenizer(), text) == ["Moscow", "KCNA", "2,5", "١٬٠٠٠", "3.14", "١٫٥", "2025"]


@pytest.mark.parametrize(
    "text",
    [
        "قالَ الرَّئِيسُ: «نعم»، ثم سألَ؟ وقال “لا”؛ انتهى.",
        "أكَّدَ وزيرُ الخارجيّة الروسيّ لافـــروف في ٢٠٢٥ أن KCNA",
        "می\u200cخواهم 2,5 ١٬٠٠٠",
    ],
)
def test_tokenizer_offsets_point_into_the_original_text(text):
    tokens = spans(ArabicTokenizer(), text)
    assert tokens
    for word, start, end in tokens:
        assert text[start:end] == word


def test_tokenizer_tokenizes_even_when_told_not_to():
    # Whoosh's query parser hands over each space-separated piece with tokenize=False.
    assert terms(ArabicTokenizer(), "خاشقجي؟", tokenize=False) == ["خاشقجي"]
    assert terms(exact_analyzer(), "وقال خاشقجي؟", tokenize=False) == ["وقال", "خاشقجي"]
    assert terms(stemming_analyzer(), "وقال خاشقجي؟", tokenize=False) == ["قال", "خاشقج"]


# --- Normalization steps ------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ﺑﻴﺖ", ["بيت"]),          # presentation forms (initial, medial, final)
        ("ﻻ", ["لا"]),             # lam-alef ligature
        ("ﷲ", ["الله"]),
        ("ＫＣＮＡ", ["KCNA"]),     # full-width Latin
        ("بيت", ["بيت"]),
    ],
)
def test_compatibility(text, expected):
    assert through(CompatibilityFilter, text) == expected


def test_compatibility_splits_a_ligature_into_words_with_the_ligatures_offsets():
    text = "قال محمد ﷺ"
    assert spans(ArabicTokenizer() | CompatibilityFilter(), text) == [
        ("قال", 0, 3),
        ("محمد", 4, 8),
        ("صلى", 9, 10),
        ("الله", 9, 10),
        ("عليه", 9, 10),
        ("وسلم", 9, 10),
    ]
    assert text[9:10] == "ﷺ"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("مُحَمَّدٌ", "محمد"),         # damma, fatha, shadda, tanwin damm
        ("كِتَابًا", "كتابا"),          # tanwin fath
        ("مَدْرَسَةٍ", "مدرسة"),        # sukun, tanwin kasr
        ("هٰذا", "هذا"),               # dagger alef
        ("الرَّحْمَٰنِ", "الرحمن"),
        ("صلّىٰ", "صلى"),
        ("عَلَيۡهِمۡ", "عليهم"),        # Quranic sukun (small high dotless head of khah)
        ("رَيۡبَۛ", "ريب"),              # Quranic waqf sign
        ("محمدؐ", "محمد"),             # honorific sign
        ("ٱلۡكِتَٰبُ", "ٱلكتب"),         # alef wasla is left to the Alef step
        ("داوۥد", "داوود"),            # small waw stands for a long vowel
        ("می\u200cخواهم", "میخواهم"),   # zero width non-joiner
    ],
)
def test_strip_diacritics(text, expected):
    assert through(StripDiacriticsFilter, text) == [expected]


def test_strip_tatweel():
    assert through(StripTatweelFilter, "جمـــيل الـلـه") == ["جميل", "الله"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("کتاب", "كتاب"),           # keheh -> kaf
        ("ایران", "ايران"),         # farsi yeh -> yeh
        ("کوردستانە", "كوردستانه"),  # kurdish ae -> heh
        ("ھاتف", "هاتف"),           # heh doachashmee -> heh
        ("پاکستان", "باكستان"),      # peh -> beh
        ("ڤيروس", "فيروس"),         # veh -> feh
        ("چای", "جاي"),             # tcheh -> jeem
        ("ژاپن", "زابن"),            # jeh -> zain
        ("گرگان", "كركان"),          # gaf -> kaf
    ],
)
def test_persian_letters(text, expected):
    assert through(PersianLettersFilter, text) == [expected]


def test_alef():
    assert through(AlefFilter, "أحمد إسلام آمن ٱلله") == ["احمد", "اسلام", "امن", "الله"]


def test_hamza_seat_lets_spellings_meet():
    assert through(HamzaSeatFilter, "مسؤول مسئول شؤون شئون") == ["مسءول", "مسءول", "شءون", "شءون"]


def test_alef_maksura():
    assert through(AlefMaksuraFilter, "على علي مستشفى") == ["علي", "علي", "مستشفي"]


def test_teh_marbuta():
    assert through(TehMarbutaFilter, "مدرسة مدرسه") == ["مدرسه", "مدرسه"]


def test_digits_arabic_indic_and_persian():
    assert through(DigitsFilter, "٢٠٢٥ ۱۴۰۳ 2025") == ["2025", "1403", "2025"]


def test_lowercase():
    assert through(LowercaseFilter, "KCNA Moscow Straße بيت") == ["kcna", "moscow", "strasse", "بيت"]


def test_normalization_keeps_offsets_of_the_original_words():
    text = "الـمسؤولون «أكَّدوا» ٢٠٢٥ KCNA"
    assert spans(exact_analyzer(), text) == [
        ("المسءولون", 0, 10),
        ("اكدوا", 12, 19),
        ("2025", 21, 25),
        ("kcna", 26, 30),
    ]


def _seed_lines():
    lines = []
    for path in sorted(SEEDS.glob("*.txt")):
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()][:5]
    return lines


NORMALIZE_SAMPLES = [
    "أكَّدَ وزيرُ الخارجيّة الروسيّ سيرغي لافـــروف في ٢٠٢٥",
    "بِسْمِ ٱللَّهِ ٱلرَّحْمَٰنِ ٱلرَّحِيمِ",
    "ذَٰلِكَ ٱلۡكِتَٰبُ لَا رَيۡبَۛ فِيهِۛ هُدٗى لِّلۡمُتَّقِينَ",
    "قال محمد ﷺ في ﺑﻴﺖ ﻻ يبعد",
    "مسؤول مسئول شؤون شئون مستشفى مدرسة",
    "کتاب ایران کوردستانە ھاتف پاکستان ڤيروس چای ژاپن گرگان",
    "می\u200cخواهم ۱۴۰۳ ＫＣＮＡ Straße",
]


@pytest.mark.parametrize("text", NORMALIZE_SAMPLES)
def test_normalize_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


def test_normalize_is_idempotent_on_the_seed_articles():
    lines = _seed_lines()
    assert lines
    for line in lines:
        once = normalize(line)
        assert normalize(once) == once, line


def test_normalize_a_whole_string():
    assert normalize("أكَّدَ وزيرُ الخارجيّة في ٢٠٢٥ أنَّ KCNA") == "اكد وزير الخارجيه في 2025 ان kcna"


# --- Stop words ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "word", ["في", "من", "إلى", "الى", "الي", "الذي", "والذي", "أنه", "إنه", "هذا", "عن", "the", "و"]
)
def test_grammar_words_are_dropped(word):
    assert terms(exact_analyzer(), word) == []


@pytest.mark.parametrize(
    "word, term",
    [
        ("شمال", "شمال"),   # adverb of place
        ("جنوب", "جنوب"),
        ("شهر", "شهر"),     # adverb of time
        ("مساء", "مساء"),
        ("عاد", "عاد"),     # sister of kana used as a verb of motion
        ("رجع", "رجع"),
        ("صار", "صار"),
        ("أخذ", "اخذ"),     # verb of beginning
        ("قام", "قام"),
        ("أب", "اب"),       # the five nouns
        ("أخ", "اخ"),
        ("بن", "بن"),       # name connector
        ("فعل", "فعل"),     # listed as a form of عل, but a content word
        ("أوبك", "اوبك"),   # OPEC, listed as أوَ + بك ("and with you?")
        ("أفغانستان", "افغانستان"),
        ("5", "5"),         # one character, not a stop word
    ],
)
def test_content_words_are_kept(word, term):
    assert terms(exact_analyzer(), word) == [term]


def test_stop_words_in_a_sentence():
    assert terms(exact_analyzer(), "قال إنه في بيروت") == ["قال", "بيروت"]
    assert terms(exact_analyzer(), "وصل محمد بن سلمان إلى شمال البلاد") == ["وصل", "محمد", "بن", "سلمان", "شمال", "البلاد"]
    assert terms(exact_analyzer(), "the President of Russia") == ["president", "russia"]


def test_stop_words_are_stored_normalized():
    words = arabic_stop_words()
    assert "الي" in words
    assert all(normalize(w) == w for w in words)


# --- Stemming by rules (no vocabulary) ----------------------------------------------


@pytest.mark.parametrize(
    "word, stem",
    [
        # article, with conjunctions and prepositions
        ("الكتاب", "كتاب"),
        ("والمدارس", "مدارس"),
        ("وبالمدارس", "مدارس"),
        ("فالكتاب", "كتاب"),
        ("بالمدرسة", "مدرس"),
        ("للمعلمين", "معلم"),
        ("فللمعلمين", "معلم"),
        # sound plurals, dual, feminine, nisba, pronouns
        ("المعلمون", "معلم"),
        ("المسلمين", "مسلم"),
        ("مسلمات", "مسلم"),
        ("كتابان", "كتاب"),
        ("كتابها", "كتاب"),
        ("المصرية", "مصر"),
        ("المصري", "مصر"),
        # the conjunction و
        ("وقال", "قال"),
        # length guards: three letters stay, only the article may leave two
        ("بلد", "بلد"),
        ("ولد", "ولد"),
        ("وطن", "وطن"),
        ("وعد", "وعد"),
        ("الحق", "حق"),
        # the name of God
        ("الله", "الله"),
        ("اللهم", "اللهم"),
    ],
)
def test_rule_stemming(word, stem):
    assert terms(stemming_analyzer(), word) == [stem]


def test_light_stem_docstring_examples():
    assert light_stem("والمدارس") == "مدارس"
    assert light_stem("المسلمين") == "مسلم"


def test_rules_alone_take_root_letters_for_clitics():
    # What the collection's vocabulary is there to prevent (see below).
    assert terms(stemming_analyzer(), "وزير فلسطين للاعبين") == ["زير", "لسط", "اعب"]


def test_arabic_stemmer_leaves_latin_alone_and_english_stemmer_leaves_arabic_alone():
    assert terms(ArabicTokenizer() | ArabicLightStemFilter(), "Moscow والمدارس") == ["Moscow", "مدارس"]
    assert light_stem("moscow") == "moscow"
    assert terms(ArabicTokenizer() | EnglishStemFilter(), "Presidents والمدارس") == ["presid", "والمدارس"]


def test_english_snowball_for_latin_words():
    assert terms(stemming_analyzer(), "Presidents elected running") == ["presid", "elect", "run"]


# --- Stemming with the collection's vocabulary --------------------------------------

NEWS = [
    "قال وزير الخارجية الفلسطيني رياض المالكي إن الوزارة تتابع ملف الأسرى، وقال إن فلسطين "
    "ستطرح القضية في الأمم المتحدة.",
    "قال المتحدث باسم وزارة الصحة في غزة إن الفلسطينيين يعانون نقص الدواء، وقال إن المستشفيات "
    "تعمل فوق طاقتها.",
    "يلتقي وزير الخارجية الأمريكي نظيره المصري في القاهرة، وقال مسؤول إن الوزير سيلتقي الرئيس "
    "يوم الأحد.",
    "زار الرئيس الفلسطيني مدينة جنين، وقال إن سياسة الاحتلال لن تنجح.",
    "قال مدرب المنتخب إن اللاعبين جاهزون للمباراة، وأشاد بأداء اللاعبين في البطولة.",
    "أعلن الاتحاد أن اللاعبين سيحصلون على مكافآت، وقدمت الحكومة دعما للاعبين الشباب.",
]


@pytest.fixture(scope="module")
def vocabulary():
    return count_vocabulary(NEWS)


def test_count_vocabulary_counts_documents_of_article_less_forms(vocabulary):
    assert vocabulary.frequency("قال") == 3      # documents 1, 2 and 5
    assert vocabulary.frequency("وقال") == 4
    assert vocabulary.frequency("وزير") == 2     # الوزير and وزير
    assert vocabulary.frequency("زير") == 0
    assert vocabulary.frequency("لاعبين") == 2   # اللاعبين, once per document


def test_count_vocabulary_docstring_example():
    counted = count_vocabulary(["وقال الوزير", "قال"])
    assert (counted.frequency("قال"), counted.frequency("وقال"), counted.frequency("وزير")) == (1, 1, 1)


@pytest.mark.parametrize(
    "word, stem",
    [
        ("وزير", "وزير"),                 # زير is no word of the collection
        ("الوزير", "وزير"),
        ("وقال", "قال"),                  # قال is frequent
        ("قال", "قال"),
        ("وزارة", "وزاره"),               # not زار, although زار is in the collection
        ("الوزارة", "وزاره"),
        ("فلسطين", "فلسطين"),             # not لسط
        ("الفلسطينيين", "فلسطين"),
        ("الفلسطيني", "فلسطين"),
        ("للاعبين", "لاعبين"),             # li + al + laa'ibiin: اللاعبين is attested
        ("اللاعبين", "لاعبين"),
        ("سيلتقي", "يلتقي"),              # future sa- before an attested يلتقي
        ("يلتقي", "يلتقي"),
        ("سياسة", "سياسه"),               # sin here is a root letter
    ],
)
def test_stemming_with_vocabulary(vocabulary, word, stem):
    assert terms(stemming_analyzer(vocabulary), word) == [stem]


def test_stemming_with_vocabulary_on_a_sentence(vocabulary):
    text = "وقال وزير إن الفلسطينيين سيلتقي بهم في فلسطين"
    assert terms(stemming_analyzer(vocabulary), text) == ["قال", "وزير", "فلسطين", "يلتقي", "فلسطين"]


# Germany written as outlets write it: with hamza, with the article, after و and ب.
GERMAN_NEWS = [
    "أعلنت الحكومة الألمانية خطة جديدة، وقال الوزير الألماني إن ألمانيا مستعدة.",
    "صناعة ألمانية في معرض الألعاب، والألمان يتصدرون.",
    "آلاف الزوار في بألمانيا، وعاد الآلاف إلى البيت.",
    "قالت الشركة الألمانية إن ألعاب الفيديو تباع في البيت الأبيض.",
    "بيت جديد في برلين.",
]


@pytest.mark.parametrize(
    "words, stem",
    [
        # Its own ال, written with hamza: the collection's الألمانية shows it.
        (["ألمانية", "الألمانية", "والألمانية", "ألماني", "الألماني", "الألمان"], "المان"),
        (["ألعاب", "الألعاب"], "العاب"),
        (["آلاف", "الآلاف"], "الاف"),
        (["ألمانيا", "بألمانيا"], "مانيا"),  # the country, never with an article
        (["البيت", "بيت"], "بيت"),           # the article, even though الالبيت appears once
    ],
)
def test_a_word_whose_own_letters_begin_with_al_keeps_them(words, stem):
    vocabulary = count_vocabulary([*GERMAN_NEWS, "الالبيت"])
    assert terms(stemming_analyzer(vocabulary), " ".join(words)) == [stem] * len(words)


def _stem_filter(analyzer):
    (stem_filter,) = [item for item in analyzer.items if isinstance(item, ArabicLightStemFilter)]
    return stem_filter


def test_analyzer_pickles_with_its_vocabulary_but_not_its_cache(vocabulary):
    analyzer = stemming_analyzer(vocabulary)
    text = "وقال وزير الفلسطيني إن اللاعبين للاعبين سيلتقي"
    before_use = pickle.dumps(analyzer)
    expected = terms(analyzer, text)
    assert expected == ["قال", "وزير", "فلسطين", "لاعبين", "لاعبين", "يلتقي"]
    assert _stem_filter(analyzer)._cache  # words were cached ...
    assert pickle.dumps(analyzer) == before_use  # ... and the cache is not stored

    restored = pickle.loads(before_use)
    assert _stem_filter(restored)._cache == {}
    assert _stem_filter(restored).vocabulary.frequency("قال") == 3
    assert terms(restored, text) == expected


def test_analyzer_without_vocabulary_pickles():
    restored = pickle.loads(pickle.dumps(stemming_analyzer()))
    assert terms(restored, "والمدارس في بيروت") == ["مدارس", "بيروت"]


# --- Analyzers ----------------------------------------------------------------------

SENTENCE = "أكَّدَ وزيرُ الخارجيّة الروسيّ سيرغي لافـــروف في ٢٠٢٥ أن KCNA نقلت عن المسؤولين والمسئولين «دعمَ» Presidents؟"


def test_exact_analyzer_on_a_mixed_sentence():
    assert terms(exact_analyzer(), SENTENCE) == [
        "اكد", "وزير", "الخارجيه", "الروسي", "سيرغي", "لافروف", "2025", "kcna", "نقلت",
        "المسءولين", "والمسءولين", "دعم", "presidents",
    ]


def test_stemming_analyzer_on_a_mixed_sentence():
    assert terms(stemming_analyzer(), SENTENCE) == [
        "اكد", "زير", "خارج", "روس", "سيرغ", "لافروف", "2025", "kcna", "نقلت",
        "مسءول", "مسءول", "دعم", "presid",
    ]


@pytest.mark.parametrize("make", [exact_analyzer, stemming_analyzer])
def test_analyzer_offsets_point_at_the_words_as_written(make):
    for _, start, end in spans(make(), SENTENCE):
        word = SENTENCE[start:end]
        assert word and not word.isspace()
        assert terms(ArabicTokenizer(), word) == [word]


def test_analyzer_docstring_examples():
    assert terms(exact_analyzer(), "وَالمدارسُ في بيروت") == ["والمدارس", "بيروت"]
    assert terms(stemming_analyzer(), "وَالمدارسُ في بيروت") == ["مدارس", "بيروت"]


PROFILE_TEXT = "وقال الرئيسُ إن Presidents في ٢٠٢٥"
PROFILE_TERMS = {
    "whoosh-default": ["وقال", "الرئيس", "إن", "presid", "في", "٢٠٢٥"],
    "tokenize": ["وقال", "الرئيسُ", "إن", "presidents", "في", "٢٠٢٥"],
    "normalize": ["وقال", "الرءيس", "ان", "presidents", "في", "2025"],
    "stopwords": ["وقال", "الرءيس", "presidents", "2025"],
    "stemming": ["قال", "رءيس", "presid", "2025"],
    "attested": ["قال", "رءيس", "presid", "2025"],
    "exact": ["قال", "رءيس", "presid", "2025"],
    "full": ["قال", "رءيس", "presid", "2025"],
}


def test_every_profile_is_described():
    assert set(PROFILE_TERMS) == set(PROFILES)


@pytest.mark.parametrize("profile", list(PROFILES))
def test_profile_analyzers_build(profile, vocabulary):
    # (main, exact, ...): further analyzers (transliteration) are tested elsewhere.
    main, exact = profile_analyzers(profile, vocabulary)[:2]
    assert terms(main, PROFILE_TEXT) == PROFILE_TERMS[profile]
    if profile in ("exact", "full"):
        assert terms(exact, PROFILE_TEXT) == ["وقال", "الرءيس", "presidents", "2025"]
    else:
        assert exact is None


def test_profiles_that_need_the_vocabulary():
    assert [p for p in PROFILES if needs_vocabulary(p)] == ["attested", "exact", "full"]


def test_attested_profile_uses_the_vocabulary_and_stemming_profile_does_not(vocabulary):
    assert terms(profile_analyzers("attested", vocabulary)[0], "وزير") == ["وزير"]
    assert terms(profile_analyzers("stemming", vocabulary)[0], "وزير") == ["زير"]


def test_unknown_profile_is_an_error():
    with pytest.raises(ValueError, match="unknown analysis profile 'light'"):
        profile_analyzers("light")


# --- explain() ----------------------------------------------------------------------

STEP_NAMES = [
    "tokenize", "Compatibility", "StripDiacritics", "StripTatweel", "PersianLetters", "Alef",
    "HamzaSeat", "AlefMaksura", "TehMarbuta", "Digits", "Lowercase", "StopWords",
    "ArabicLightStem", "EnglishStem",
]


def test_steps_are_named_in_chain_order():
    assert [name for name, _ in steps()] == STEP_NAMES


def test_explain_one_row_per_token_with_every_step():
    text = "الكِتَابُ في ﷺ KCNA"
    rows = explain(text)
    assert [(r["start"], r["end"], r["original"], r["term"]) for r in rows] == [
        (0, 9, "الكِتَابُ", "كتاب"),
        (10, 12, "في", None),
        (13, 14, "ﷺ", "صلي"),
        (13, 14, "ﷺ", "الله"),
        (13, 14, "ﷺ", None),
        (13, 14, "ﷺ", "سلم"),
        (15, 19, "KCNA", "kcna"),
    ]
    for row in rows:
        assert list(row["steps"]) == STEP_NAMES
        assert text[row["start"] : row["end"]] == row["original"]

    kitab = rows[0]["steps"]
    assert kitab["tokenize"] == "الكِتَابُ"
    assert kitab["StripDiacritics"] == "الكتاب"
    assert kitab["StopWords"] == "الكتاب"
    assert kitab["ArabicLightStem"] == "كتاب"

    fi = rows[1]["steps"]
    assert fi["Lowercase"] == "في"
    assert (fi["StopWords"], fi["ArabicLightStem"], fi["EnglishStem"]) == (None, None, None)

    assert rows[2]["steps"]["Compatibility"] == "صلى"
    assert rows[2]["steps"]["AlefMaksura"] == "صلي"
    assert rows[6]["steps"]["Lowercase"] == "kcna"


def test_explain_terms_are_what_the_analyzer_indexes():
    terms_shown = [r["term"] for r in explain(SENTENCE) if r["term"] is not None]
    assert terms_shown == terms(stemming_analyzer(), SENTENCE)


def test_clitic_stop_forms_that_are_content_words_are_kept():
    # أمن (security), فهم (understanding), ابن (son) are listed as clitic forms of stop words.
    from indexer.analysis import exact_analyzer as analyzer

    assert [t.text for t in analyzer()("مجلس أمن فهم ابن في الذي")] == ["مجلس", "امن", "فهم", "ابن"]


def test_name_of_god_after_a_clitic_stems_to_allah():
    from indexer.analysis import stemming_analyzer as analyzer

    assert [t.text for t in analyzer()("والله بالله الله")] == ["الله", "الله", "الله"]
