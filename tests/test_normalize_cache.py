"""The analyzers run normalization as one cached step (for indexing speed, see
bench/index_bench.py): the index must get exactly the terms, positions and offsets that
the ten normalization steps chained one by one give, and the cache must stay bounded."""

import pickle

import pytest

from indexer.analysis import analyzers, normalize
from indexer.analysis.normalize import NormalizeFilter
from indexer.analysis.tokenizer import ArabicTokenizer
from indexer.analysis.transliteration import TransliterationKeyFilter
from indexer.analysis.vocabulary import count_vocabulary

# Diacritics, hamza and alef forms, ى/ي, ة/ه, tatweel, Arabic-Indic digits, a Persian
# kaf, presentation forms, a ligature that spells four words, stop words, Latin.
ARTICLE = (
    "أكَّدَ وزيرُ الخارجيّة الروسيّ سيرغي لافـــروف في ٢٠٢٥ أنّ المسؤولين والمسئولين "
    "إلى مستشفى المدرسة، وقال النبي ﷺ إن ﻻ بأس، وکان KCNA Presidents نقلت؟ "
    "وقال الوزير في المدرسه إنّ الرئيس لافروف وصل."
)


def step_by_step(chain):
    """The chain as it was before the cached step: every step joined with ``|``."""
    analyzer = chain[0][1]
    for _, step in chain[1:]:
        analyzer = analyzer | step
    return analyzer


def tokens(analyzer, text, **kwargs):
    return [(t.text, t.pos, t.startchar, t.endchar, t.stopped) for t in analyzer(text, positions=True, chars=True, **kwargs)]


CHAINS = {
    "exact": lambda vocabulary: analyzers.steps(stem=False),
    "stemmed": lambda vocabulary: analyzers.steps(stem=True, vocabulary=vocabulary),
    "transliteration": lambda vocabulary: analyzers.steps(stem=False) + [("T", TransliterationKeyFilter())],
}


@pytest.mark.parametrize("name", CHAINS)
@pytest.mark.parametrize("removestops", [True, False])
def test_cached_normalization_gives_the_terms_of_the_steps_one_by_one(name, removestops):
    chain = CHAINS[name](count_vocabulary([ARTICLE, "قال الوزير"]))
    expected = tokens(step_by_step(chain), ARTICLE, removestops=removestops)
    composed = analyzers._compose(chain)
    assert any(isinstance(step, NormalizeFilter) for step in composed.items)
    # Twice: the second pass is served from the cache.
    assert tokens(composed, ARTICLE, removestops=removestops) == expected
    assert tokens(composed, ARTICLE, removestops=removestops) == expected


def test_the_ligature_gives_four_words_at_its_own_offsets():
    text = "قال ﷺ"
    assert [(t.text, t.startchar) for t in (ArabicTokenizer() | NormalizeFilter())(text, chars=True)] == [
        ("قال", 0), ("صلي", 4), ("الله", 4), ("عليه", 4), ("وسلم", 4),
    ]


def test_a_repeated_word_is_normalized_once_and_the_cache_is_not_pickled():
    step = NormalizeFilter()
    analyzer = ArabicTokenizer() | step
    fresh = pickle.dumps(analyzer)
    assert [t.text for t in analyzer("المسؤولُ والمسؤولُ المسؤولُ")] == ["المسءول", "والمسءول", "المسءول"]
    assert step._cache["المسؤولُ"] == ("المسءول",)
    assert pickle.dumps(analyzer) == fresh
    assert [t.text for t in pickle.loads(fresh)("إلى مستشفى")] == ["الي", "مستشفي"]


def test_the_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(normalize, "NORMALIZE_CACHE_SIZE", 3)
    monkeypatch.setattr(NormalizeFilter, "_caches", {})
    step = NormalizeFilter()
    words = "أحمد إبراهيم آمن مدرسة مستشفى سيّارة ٢٠٢٥"
    assert [t.text for t in (ArabicTokenizer() | step)(words)] == [
        "احمد", "ابراهيم", "امن", "مدرسه", "مستشفي", "سياره", "2025",
    ]
    assert len(step._cache) <= 3
