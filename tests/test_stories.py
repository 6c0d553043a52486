"""Reports of one story by several outlets come back as one result with "N other reports",
the best-ranked report leading (the five seed articles are five reports of one story)."""

import itertools
import json
from pathlib import Path

import pytest

from indexer.search.stories import THRESHOLD, paginate

NEWS = Path(__file__).resolve().parent / "data" / "news.jsonl"
SEEDS = {"000_0b332bf175457bc7", "001_0da1ffbe29b36b8b", "002_7d4f12e30b58a4f0", "003_58cafd3a0bd33588",
         "004_2b11dcb59984afc5"}
# The multi-outlet stories of tests/data/news.jsonl (as labelled in bench/near_duplicates_threshold.py).
STORIES = [SEEDS, {"opec-cut-aljazeera", "opec-cut-alarabiya", "opec-cut-bbc"},
           {"iraq-heat-skynews", "iraq-heat-aljazeera", "iraq-heat-aawsat"},
           {"hilal-city-alarabiya", "hilal-city-bbc"}]


def folded(hit):
    return {d["id"] for d in hit.duplicates}


@pytest.mark.parametrize("query", ["لافروف", "كيم جونغ أون", "وونسان"])
def test_lavrov_kim_story_is_one_result_with_four_other_reports(news, query):
    result = news.search(query)
    lead = result.hits[0]
    assert lead.id in SEEDS
    assert folded(lead) == SEEDS - {lead.id}
    assert not any(hit.id in SEEDS for hit in result.hits[1:])


def test_seed_collection_alone_is_one_story(seeds):
    result = seeds.search("لافروف")
    assert len(result.hits) == 1 and len(result.hits[0].duplicates) == 4
    assert (result.total, result.stories, result.pages) == (5, 1, 1)


def test_other_reports_carry_outlet_and_date(news):
    lead = news.search("برميل").hits[0]
    assert lead.id.startswith("opec-cut-")
    reports = {d["id"]: d for d in lead.duplicates}
    assert set(reports) == {"opec-cut-aljazeera", "opec-cut-alarabiya", "opec-cut-bbc"} - {lead.id}
    alarabiya = reports.get("opec-cut-alarabiya") or reports["opec-cut-aljazeera"]
    assert alarabiya["source"] in ("العربية نت", "الجزيرة نت")
    assert alarabiya["published"] in ("2023-04-02", "2023-04-03")
    assert alarabiya["url"].startswith("https://")


def test_totals_count_reports_and_stories(news):
    result = news.search("برميل")
    assert (result.total, result.stories) == (3, 1)
    assert result.to_dict()["stories"] == 1


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


def test_threshold_separates_every_labelled_pair(news):
    """The measured threshold still splits same-story from different-story pairs."""
    ids = [json.loads(line)["id"] for line in NEWS.read_text(encoding="utf-8").splitlines()]
    snapshot = news.snapshot
    key = {i: snapshot.reader.key(i) for i in ids}
    for a, b in itertools.combinations(ids, 2):
        same = any({a, b} <= story for story in STORIES)
        score = snapshot.signatures.similarity(key[a], key[b])
        assert (score >= THRESHOLD) == same, (a, b, round(score, 3))


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
