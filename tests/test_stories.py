"""Reports of one story by several outlets come back as one result with "N other reports",
the best-ranked report leading. Whether two reports are one story is the model chosen on
labelled ANT news (``indexer.search.stories``): close signatures and leads, published close
in time; a story is complete-link (every report close to every other) and spans at most two
days."""

import itertools
import json
import pickle
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest

from indexer import SearchIndex, build_index
from indexer.indexing import store
from indexer.indexing.signatures import Signatures
from indexer.indexing.updating import update_index
from indexer.search.stories import MAX_HOURS, paginate

NEWS = Path(__file__).resolve().parent / "data" / "news.jsonl"
# Two pairs of reports modelled on labelled ANT pairs (bench/story_pairs.jsonl): two events
# of the offensive on Eastern Ghouta told by one outlet the same morning, and one event
# (Arkady Babchenko, reported murdered, alive) told under headlines with no word in common.
LEADS = Path(__file__).resolve().parent / "data" / "story_leads.jsonl"
SEEDS = {"000_0b332bf175457bc7", "001_0da1ffbe29b36b8b", "002_7d4f12e30b58a4f0", "003_58cafd3a0bd33588",
         "004_2b11dcb59984afc5"}
# The multi-outlet stories of tests/data/news.jsonl, read and labelled by hand.
STORIES = [SEEDS, {"opec-cut-aljazeera", "opec-cut-alarabiya", "opec-cut-bbc"},
           {"iraq-heat-skynews", "iraq-heat-aljazeera", "iraq-heat-aawsat"},
           {"hilal-city-alarabiya", "hilal-city-bbc"}]
# Their reports published the same day by different outlets: the model folds each pair,
# the two Lavrov reports of 13 July among them (Al Arabiya's is an aggregator's copy under its
# own wrapper: signature cosine 0.26, leads 0.24, probability 0.52 against 0.50 needed).
LAVROV_13_JULY = {"002_7d4f12e30b58a4f0", "003_58cafd3a0bd33588"}
SAME_DAY = [{"opec-cut-aljazeera", "opec-cut-bbc"}, {"iraq-heat-skynews", "iraq-heat-aljazeera"},
            {"hilal-city-alarabiya", "hilal-city-bbc"}, LAVROV_13_JULY]


def folded(hit):
    return {d["id"] for d in hit.duplicates}


@pytest.mark.parametrize("query", ["لافروف", "كيم جونغ أون", "وونسان"])
def test_lavrov_visit_reports_of_other_days_stay_apart(news, query):
    # Five reports of 11, 12 and 13 July: each shown once, and none folded under a report of
    # another day; the two of 13 July come back as one result.
    result = news.search(query)
    assert sorted([hit.id for hit in result.hits] + [i for hit in result.hits for i in folded(hit)]) == sorted(SEEDS)
    for hit in result.hits:
        assert folded(hit) <= LAVROV_13_JULY - {hit.id}
    assert any({hit.id, *folded(hit)} == LAVROV_13_JULY for hit in result.hits)


def test_no_story_spans_more_than_two_days(news):
    for hit in news.search("في", page_size=50).hits:
        days = sorted(d for d in [hit.published, *(r["published"] for r in hit.duplicates)] if d)
        assert not days or (_day(days[-1]) - _day(days[0])) * 24 <= MAX_HOURS, hit.id


def _day(text):
    return date.fromisoformat(text).toordinal()


def test_other_reports_carry_outlet_and_date(news):
    lead = news.search("برميل").hits[0]
    pair = {"opec-cut-aljazeera", "opec-cut-bbc"}
    assert lead.id in pair
    (other,) = lead.duplicates
    assert other["id"] == (pair - {lead.id}).pop()
    assert other["source"] in ("الجزيرة نت", "بي بي سي عربي")
    assert other["published"] == "2023-04-03"
    assert other["url"].startswith("https://")


def test_totals_count_reports_and_stories(news):
    # Al Arabiya's report of the OPEC+ cut came a day before the other two: a story of its own.
    result = news.search("برميل")
    assert (result.total, result.stories) == (3, 2)
    assert result.to_dict()["stories"] == 2


def test_ungrouped_search_lists_every_report(news):
    result = news.search("لافروف", group_duplicates=False)
    assert {hit.id for hit in result.hits} == SEEDS
    assert all(not hit.duplicates for hit in result.hits)
    assert result.stories is None


def test_different_stories_on_one_topic_stay_apart(news):
    # Four football stories; only the two reports of Al-Hilal v Manchester City are one.
    result = news.search("مباراة")
    groups = {hit.id: folded(hit) for hit in result.hits}
    hilal = next(i for i in groups if i.startswith("hilal-city-"))
    assert groups[hilal] == {"hilal-city-alarabiya", "hilal-city-bbc"} - {hilal}
    assert {"qatar-asian-cup", "ahly-champions"} <= set(groups)
    assert not groups["qatar-asian-cup"] and not groups["ahly-champions"]


def test_no_two_different_stories_of_the_news_collection_are_one(news):
    """The model folds the same-day reports of each story and never two different stories."""
    ids = [json.loads(line)["id"] for line in NEWS.read_text(encoding="utf-8").splitlines()]
    snapshot = news.snapshot
    key = {i: snapshot.reader.key(i) for i in ids}
    for a, b in itertools.combinations(ids, 2):
        if not any({a, b} <= story for story in STORIES):
            assert not snapshot.signatures.same_story(key[a], key[b]), (a, b)
    for a, b in SAME_DAY:
        assert snapshot.signatures.same_story(key[a], key[b]), (a, b)


def test_paging_through_stories_shows_each_report_once(news):
    every = {hit.id for hit in news.search("في", page_size=100, group_duplicates=False).hits}
    seen = []
    first = news.search("في", page=1, page_size=3)
    for page in range(1, first.pages + 1):
        for hit in news.search("في", page=page, page_size=3).hits:
            seen += [hit.id, *folded(hit)]
    assert len(seen) == len(set(seen))
    assert set(seen) == every


def test_report_just_below_the_page_folds_under_its_story():
    # Ranked: A, B, A', C  with page size 2: A' ranks below the page but is A's report.
    story_of = {"A": 1, "A'": 1, "B": 2, "C": 3}
    joins = lambda reports, doc: any(story_of[r] == story_of[doc] for r in reports)  # noqa: E731
    ranked = ["A", "B", "A'", "C"]
    stories, folded_count, _ = paginate(ranked, joins, 1, 2)
    assert stories == [("A", ["A'"]), ("B", [])] and folded_count == 1
    stories, _, exhausted = paginate(ranked, joins, 2, 2)
    assert stories == [("C", [])] and exhausted


# --- Grouping is complete-link and bounded in time ---------------------------------------------

# Three sets of words: a missile test, floods, and a summit. Reports are made of them so
# that how close two reports are is known in advance.
MISSILE = "صاروخ منصة اطلاق تجربة باليستي ساحل رادار رصد قاعدة انذار مدمرة غواصة".split()
FLOOD = "فيضان امطار سيول نهر سد جسر قرية اجلاء خيام مياه طريق اغاثة".split()
SUMMIT = "قمة زعيم وفد مصافحة بيان اتفاق نزع سلاح نووي ضمانات عقوبات مفاوضات".split()
OTHER = ["بورصة اسهم تداول مؤشر سيولة ارباح", "مهرجان سينما فيلم مخرج جائزة عرض",
         "مدرسة طلاب امتحان معلم منهج فصل", "مستشفى طبيب مريض علاج دواء جراحة"]


def report(doc_id, words, published, source="وكالة", title=None):
    return {"id": doc_id, "title": title or " ".join(words[:4]), "text": " ".join(words) + ".",
            "source": source, "published": published}


def build_from(records, folder, engine_name, name="feed.jsonl"):
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / name, "w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return folder


def fillers():
    return [report(f"other-{i}", words.split(), f"2018-03-{10 + i:02d}T09:00:00Z") for i, words in enumerate(OTHER)]


def story_of(result, doc_id):
    """The ids folded together with ``doc_id`` on the page (itself included)."""
    for hit in result.hits:
        ids = {hit.id, *folded(hit)}
        if doc_id in ids:
            return ids
    return None


def test_a_chain_of_reports_is_not_one_story(tmp_path, engine_name):
    # B shares half its words with A and half with C; A and C share none.
    a = report("missile", MISSILE, "2018-06-12T08:00:00Z", "وكالة أ")
    b = report("mixed", MISSILE[:6] + FLOOD[:6], "2018-06-12T10:00:00Z", "وكالة ب",
               title=" ".join(MISSILE[:2] + FLOOD[:2]))
    c = report("flood", FLOOD, "2018-06-12T12:00:00Z", "وكالة ج")
    source = build_from([a, b, c, *fillers()], tmp_path / "news", engine_name)
    build_index([source], tmp_path / "index", engine_name=engine_name)
    with closing(SearchIndex(tmp_path / "index")) as index:
        sig = index.snapshot.signatures
        key = {doc_id: index.snapshot.reader.key(doc_id) for doc_id in ("missile", "mixed", "flood")}
        assert sig.same_story(key["missile"], key["mixed"]) and sig.same_story(key["mixed"], key["flood"])
        assert not sig.same_story(key["missile"], key["flood"])
        result = index.search("صاروخ OR فيضان")
        assert result.total == 3
        assert not {"missile", "flood"} <= story_of(result, "mixed")
        assert len(story_of(result, "mixed")) == 2


def test_reports_a_week_apart_are_not_one_story(tmp_path, engine_name):
    records = [report("summit-monday", SUMMIT, "2018-06-11T09:00:00Z", "وكالة أ"),
               report("summit-tuesday", SUMMIT, "2018-06-12T09:00:00Z", "وكالة ب"),
               report("summit-next-week", SUMMIT, "2018-06-18T09:00:00Z", "وكالة ج"), *fillers()]
    build_index([build_from(records, tmp_path / "news", engine_name)], tmp_path / "index", engine_name=engine_name)
    with closing(SearchIndex(tmp_path / "index")) as index:
        result = index.search("قمة")
        assert story_of(result, "summit-monday") == {"summit-monday", "summit-tuesday"}
        assert story_of(result, "summit-next-week") == {"summit-next-week"}
        assert (result.total, result.stories) == (3, 2)


def test_signatures_survive_an_update(tmp_path, engine_name):
    news = build_from([report("summit-first", SUMMIT, "2018-06-12T08:00:00Z", "وكالة أ"), *fillers()],
                      tmp_path / "news", engine_name)
    build_index([news], tmp_path / "index", engine_name=engine_name)
    before = Signatures.load(store.current_generation(tmp_path / "index"))
    build_from([report("summit-second", SUMMIT[2:] + SUMMIT[:2], "2018-06-12T11:00:00Z", "وكالة ب")],
               news, engine_name, name="later.jsonl")
    (news / "feed.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        report("summit-first", SUMMIT, "2018-06-12T08:00:00Z", "وكالة أ"), *fillers()[:-1]]) + "\n",
        encoding="utf-8")
    update_index([news], tmp_path / "index")
    after = Signatures.load(store.current_generation(tmp_path / "index"))
    # Unchanged articles keep their signature; the new one is signed; the removed one is gone.
    assert after.of("summit-first") == before.of("summit-first")
    assert after.of("other-1") == before.of("other-1")
    assert after.of("summit-second") is not None and after.of("other-3") is None
    assert set(after.ids()) == {"summit-first", "summit-second", "other-0", "other-1", "other-2"}
    with closing(SearchIndex(tmp_path / "index")) as index:
        result = index.search("قمة")
        assert story_of(result, "summit-first") == {"summit-first", "summit-second"}


@pytest.mark.parametrize("kept", ["no signatures", "signatures without leads"])
def test_an_index_without_signatures_is_signed_at_its_next_update(tmp_path, engine_name, kept):
    news = build_from([report("summit-first", SUMMIT, "2018-06-12T08:00:00Z", "وكالة أ"), *fillers()],
                      tmp_path / "news", engine_name)
    build_index([news], tmp_path / "index", engine_name=engine_name, procs=2)
    generation = store.current_generation(tmp_path / "index")
    if kept == "no signatures":
        # As an index built before story signatures were kept: no file, none in its manifest.
        (generation / "stories.pickle").unlink()
    else:
        # As an index built before the leads were kept: a header of no format, title vectors.
        with open(generation / "stories.pickle", "wb") as f:
            pickle.dump({"ids": ["summit-first"], "table": [], "sources": [""],
                         "lengths": dict.fromkeys(["terms", "terms_ends", "title", "title_ends", "source"], 0)}, f)
    info = store.read_build_info(generation)
    info["files"] = store.manifest(generation)
    (generation / store.BUILD_INFO).write_text(json.dumps(info), encoding="utf-8")
    with closing(SearchIndex(tmp_path / "index")) as index:
        assert [hit.id for hit in index.search("قمة").hits] == ["summit-first"]  # it still answers
    build_from([report("summit-second", SUMMIT[2:] + SUMMIT[:2], "2018-06-12T11:00:00Z", "وكالة ب")],
               news, engine_name, name="later.jsonl")
    update_index([news], tmp_path / "index", procs=2)
    signed = Signatures.load(store.current_generation(tmp_path / "index"))
    assert set(signed.ids()) == {"summit-first", "summit-second", "other-0", "other-1", "other-2", "other-3"}
    with closing(SearchIndex(tmp_path / "index")) as index:
        assert story_of(index.search("قمة"), "summit-first") == {"summit-first", "summit-second"}


# --- The lead tells one event from the next of the same affair ----------------------------------


@pytest.fixture(scope="module")
def leads(tmp_path_factory, engine_name):
    records = [json.loads(line) for line in LEADS.read_text(encoding="utf-8").splitlines()]
    folder = tmp_path_factory.mktemp(f"leads-{engine_name}")
    build_from([*records, *fillers()], folder / "news", engine_name)
    build_index([folder / "news"], folder / "index", engine_name=engine_name)
    with closing(SearchIndex(folder / "index")) as index:
        yield index


def test_two_events_of_one_offensive_told_alike_are_two_results(leads):
    # Sky News Arabia, three hours apart: strikes on the Ghouta towns, then fighters leaving
    # Harasta. Most of both texts is the offensive's background, so their signatures are
    # close (cosine 0.70); their leads are not, and the lead is the news.
    result = leads.search("الغوطة")
    assert {hit.id for hit in result.hits} == {"ghouta-strikes", "ghouta-harasta-exit"}
    assert not any(hit.duplicates for hit in result.hits)


def test_one_event_told_under_other_headlines_is_one_result(leads):
    # Sky News Arabia and France 24 the same afternoon: Babchenko alive in Kiev. The headlines
    # share no word, the bodies little (cosine 0.29); the leads tell the same news.
    (hit,) = leads.search("بابتشنكو").hits
    assert {hit.id, *folded(hit)} == {"babchenko-alive-skynews", "babchenko-alive-france24"}
