"""More like this: related stories for an article, without the article itself and without
other reports of its own story (those are listed with the article instead)."""

import pytest

from indexer import QueryError

SPORT = {"hilal-city-alarabiya", "hilal-city-bbc", "bakkali-gold", "qatar-asian-cup", "ahly-champions"}


def shown(hits):
    """Every article the related list shows, reports folded under a story included."""
    return [hit.id for hit in hits] + [d["id"] for hit in hits for d in hit.duplicates]


def test_related_to_a_football_final_are_sport_stories(news):
    related = news.more_like_this("qatar-asian-cup", limit=3)
    assert len(related) == 3
    assert set(shown(related)) <= SPORT - {"qatar-asian-cup"}


def test_related_leaves_out_the_article_and_its_other_reports(news):
    related = news.more_like_this("hilal-city-bbc", limit=5)
    ids = shown(related)
    assert "hilal-city-bbc" not in ids and "hilal-city-alarabiya" not in ids
    assert {"qatar-asian-cup", "ahly-champions"} <= {hit.id for hit in related[:3]}


def test_a_related_story_appears_once_with_its_reports_folded(news):
    related = news.more_like_this("ahly-champions", limit=5)
    hilal = [hit for hit in related if hit.id.startswith("hilal-city-")]
    assert len(hilal) == 1
    assert {hilal[0].id, *(d["id"] for d in hilal[0].duplicates)} == {"hilal-city-alarabiya", "hilal-city-bbc"}


def test_related_hits_carry_what_a_result_shows(news):
    hit = news.more_like_this("iraq-heat-skynews", limit=1)[0]
    own_story = {"iraq-heat-skynews", *(d["id"] for d in news.document("iraq-heat-skynews")["duplicates"])}
    assert own_story == {"iraq-heat-skynews", "iraq-heat-aljazeera"}
    assert hit.id not in own_story
    assert hit.title and hit.snippet and hit.source and hit.published and hit.url.startswith("https://")
    assert "<" not in hit.snippet.replace("<bdi>", "").replace("</bdi>", "")


def test_article_page_lists_the_other_reports_of_its_story(news):
    article = news.document("opec-cut-aljazeera")
    # BBC's report of the OPEC+ cut the same day; Al Arabiya's came the day before.
    assert {d["id"] for d in article["duplicates"]} == {"opec-cut-bbc"}
    assert (article["source"], article["published"]) == ("الجزيرة نت", "2023-04-03")
    assert news.document("g7-summit")["duplicates"] == []


def test_unknown_article_has_no_related(news):
    assert news.more_like_this("لا-يوجد") == []


@pytest.mark.parametrize("limit", [0, -1, 1000, "5"])
def test_bad_limit_is_refused(news, limit):
    with pytest.raises(QueryError):
        news.more_like_this("g7-summit", limit=limit)
