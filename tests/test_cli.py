"""The command line, run as a user runs it: through click's CliRunner (and once as
``python -m indexer``), checking what it prints, its exit code, and the index it leaves."""

import csv
import gzip
import io
import json
import re
import select
import subprocess
import sys
import time
import urllib.request
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner

from indexer import SearchIndex
from indexer.analysis import stemming_analyzer
from indexer.cli import cli
from indexer.indexing import store
from indexer.indexing.progress import Progress

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

# An article written the way Arabic news is: harakat on some words, hamza on alef and
# waw, tatweel, and characters that are special in HTML.
LIBRARY_ARTICLE = """مكتبةُ الإسكندريّة تفتح قاعةً جديدة
افتتحت المكتبـــة قاعةً للكُتُب النادرة، وقال مسؤولٌ إنّ الكِتَابَ الأقدم يعود إلى القرن العاشر.
وأضاف أنّ قسم البحث والتطوير (R&D) سيعرض <مخطوطات> لم تُعرض من قبل.
"""
MARKET_ARTICLE = """أسعار القمح ترتفع في الأسواق
ارتفعت أسعار القمح والشعير هذا الأسبوع بسبب الجفاف، وقال تجار إنّ الأسعار ستبقى مرتفعة.
"""


@pytest.fixture
def runner():
    return CliRunner()


@pytest.fixture(scope="module")
def seeds_index(tmp_path_factory):
    """The project's five seed articles, indexed once for the read-only tests."""
    index_dir = tmp_path_factory.mktemp("seeds") / "index"
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    return index_dir


@pytest.fixture
def articles(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "library.txt").write_text(LIBRARY_ARTICLE, encoding="utf-8")
    (folder / "market.txt").write_text(MARKET_ARTICLE, encoding="utf-8")
    return folder


@pytest.fixture
def small_index(runner, articles, tmp_path):
    index_dir = tmp_path / "index"
    result = runner.invoke(cli, ["build", str(articles), "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    return index_dir


def search_json(runner, index_dir, query, *options):
    result = runner.invoke(cli, ["search", query, "--index", str(index_dir), "--json", *options])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def assert_one_line_error(result, code, *fragments):
    assert result.exit_code == code, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in lines[0]


# build


def test_build_seeds_reports_and_answers_searches(runner, tmp_path):
    index_dir = tmp_path / "index"
    result = runner.invoke(cli, ["build", str(SEEDS), "--index", str(index_dir), "--verbose"])

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "indexed 5 documents" in result.stdout
    assert "terms" in result.stdout  # --verbose adds the new generation's size
    answer = search_json(runner, index_dir, "كوريا الشمالية")
    assert answer["total"] == 5
    # The five seeds are reports of one story: one hit, the others folded under it.
    found = {hit["id"] for hit in answer["hits"]} | {d["id"] for hit in answer["hits"] for d in hit["duplicates"]}
    assert found == {p.stem for p in SEEDS.glob("*.txt")}


def test_build_json_report(runner, articles, tmp_path):
    result = runner.invoke(cli, ["build", str(articles), "--index", str(tmp_path / "index"), "--json"])

    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["documents"] == 2
    assert report["skipped"] == []
    assert report["index"] == str(tmp_path / "index")
    assert report["seconds"] >= 0


def write_bad_files(folder):
    bad = {
        "broken.txt": "ليس UTF-8".encode() + b"\xff\xfe\xd8",
        "empty.txt": b"",
        "binary.txt": b"\x7fELF\x00\x01\x02\x00" * 64,
    }
    for name, data in bad.items():
        (folder / name).write_bytes(data)
    return {str(folder / name) for name in bad}


def test_build_skips_bad_files_names_them_and_exits_3(runner, articles, tmp_path):
    bad_paths = write_bad_files(articles)
    index_dir = tmp_path / "index"

    result = runner.invoke(cli, ["build", str(articles), "--index", str(index_dir)])

    assert result.exit_code == 3, result.output
    assert "indexed 2 documents" in result.stdout
    warnings = result.stderr.splitlines()
    assert len(warnings) == 3
    reasons = {}
    for line in warnings:
        assert line.startswith("warning: skipped ")
        path, _, reason = line.removeprefix("warning: skipped ").partition(": ")
        reasons[path] = reason
    assert set(reasons) == bad_paths
    assert "UTF-8" in reasons[str(articles / "broken.txt")]
    assert reasons[str(articles / "empty.txt")] == "empty file"
    assert reasons[str(articles / "binary.txt")] == "binary file"
    # The good articles went in: a query with the other hamza seat finds "مسؤولٌ".
    assert [hit["id"] for hit in search_json(runner, index_dir, "مسئول")["hits"]] == ["library"]


def test_build_json_lists_skipped_files(runner, articles, tmp_path):
    bad_paths = write_bad_files(articles)

    result = runner.invoke(cli, ["build", str(articles), "--index", str(tmp_path / "index"), "--json"])

    assert result.exit_code == 3, result.output
    report = json.loads(result.stdout)
    assert report["documents"] == 2
    assert {skip["path"] for skip in report["skipped"]} == bad_paths
    assert all(skip["reason"] for skip in report["skipped"])


def test_failed_build_keeps_previous_index(runner, small_index, tmp_path):
    before = search_json(runner, small_index, "الكتاب")
    generation = store.current_generation(small_index)
    missing = tmp_path / "no-such-folder"

    result = runner.invoke(cli, ["build", str(missing), "--index", str(small_index)])

    assert_one_line_error(result, 1, str(missing), "no such file or folder")
    assert store.current_generation(small_index) == generation
    after = search_json(runner, small_index, "الكتاب")
    assert after["hits"] == before["hits"] and after["total"] == 1


def test_build_of_empty_folder_fails_and_keeps_previous_index(runner, small_index, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    generation = store.current_generation(small_index)

    result = runner.invoke(cli, ["build", str(empty), "--index", str(small_index)])

    assert_one_line_error(result, 1, "no article could be indexed")
    assert store.current_generation(small_index) == generation
    assert search_json(runner, small_index, "القمح")["total"] == 1


def test_build_of_only_bad_files_says_why_each_was_skipped(runner, small_index, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    bad_paths = write_bad_files(folder)

    result = runner.invoke(cli, ["build", str(folder), "--index", str(small_index)])

    assert result.exit_code == 1
    *warnings, error = result.stderr.splitlines()
    assert {line.removeprefix("warning: skipped ").partition(": ")[0] for line in warnings} == bad_paths
    assert error.startswith("error: no article could be indexed")
    assert search_json(runner, small_index, "القمح")["total"] == 1


def test_build_while_another_build_writes_fails(runner, articles, small_index):
    generation = store.current_generation(small_index)
    with store.writer_lock(small_index):
        result = runner.invoke(cli, ["build", str(articles), "--index", str(small_index)])

    assert_one_line_error(result, 1, "another indexing command")
    assert store.current_generation(small_index) == generation


# Records shaped as in the ANT corpus (../shared/news/ant-2018.jsonl.gz).
ANT_FEED = [
    {"id": "SN-culture-1-20180226", "title": "افتتاح معرض الرياض الدولي للكتاب",
     "text": "افتتح وزير الثقافة معرض الرياض الدولي للكتاب بمشاركة ناشرين من ثلاثين دولة.",
     "source": "سكاي نيوز عربية", "url": "https://www.skynewsarabia.com/culture/1",
     "published": "Mon, 26 Feb 2018 02:20:10 GMT", "category": "culture", "author": "",
     "abstract": "ملخص: المخطوطات النادرة في جناح الضيف"},
    {"id": "BB-economy-2-20180301", "title": "أسعار النفط ترتفع",
     "text": "ارتفعت أسعار النفط بعد قرار أوبك خفض الإنتاج.", "source": "بي بي سي عربي",
     "url": "http://www.bbc.co.uk/arabic/business-2", "published": "Thu, 01 Mar 2018 10:00:00 GMT",
     "category": "economy", "author": "مراسل الاقتصاد", "abstract": "النفط والأسواق"},
]


def write_feed(path, records):
    path.write_bytes(gzip.compress("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()))


def test_build_and_update_read_a_gzip_compressed_collection_as_it_is(runner, tmp_path):
    feed = tmp_path / "ant.jsonl.gz"
    write_feed(feed, ANT_FEED)
    index_dir = tmp_path / "index"

    result = runner.invoke(cli, ["build", str(feed), "--index", str(index_dir), "--json", "--quiet"])

    assert result.exit_code == 0, result.output
    assert (json.loads(result.stdout)["documents"], json.loads(result.stdout)["skipped"]) == (2, [])
    [hit] = search_json(runner, index_dir, "معرض الكتاب")["hits"]
    assert (hit["id"], hit["source"], hit["published"]) == (ANT_FEED[0]["id"], "سكاي نيوز عربية", "2018-02-26")
    assert search_json(runner, index_dir, "المخطوطات")["total"] == 0  # the abstract is not the article's text

    # The feed loses its last record: update removes that article, and only that one.
    write_feed(feed, ANT_FEED[:1])
    result = runner.invoke(cli, ["update", str(feed), "--index", str(index_dir), "--json", "--verbose", "--quiet"])

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ids"] == {"added": [], "changed": [], "removed": [ANT_FEED[1]["id"]]}
    assert search_json(runner, index_dir, "النفط")["total"] == 0
    assert search_json(runner, index_dir, "معرض الكتاب")["total"] == 1


def test_update_from_a_damaged_gzip_collection_keeps_the_articles_it_could_not_read(runner, tmp_path):
    """A download cut short leaves a .jsonl.gz whose later records cannot be read: the
    file is reported skipped, and the articles indexed from it are kept, not removed."""
    feed = tmp_path / "ant.jsonl.gz"
    write_feed(feed, ANT_FEED)
    index_dir = tmp_path / "index"
    assert runner.invoke(cli, ["build", str(feed), "--index", str(index_dir), "--quiet"]).exit_code == 0

    feed.write_bytes(feed.read_bytes()[: len(feed.read_bytes()) // 2])
    result = runner.invoke(cli, ["update", str(feed), "--index", str(index_dir), "--json", "--verbose", "--quiet"])

    assert result.exit_code == 3, result.output
    summary = json.loads(result.stdout)
    assert summary["ids"]["removed"] == [] and [s["path"] for s in summary["skipped"]] == [str(feed)]
    assert search_json(runner, index_dir, "النفط")["total"] == 1
    assert search_json(runner, index_dir, "معرض الكتاب")["total"] == 1


def test_build_rejects_bad_options(runner, tmp_path):
    result = runner.invoke(cli, ["build", str(SEEDS), "--index", str(tmp_path / "i"), "--procs", "0"])

    assert result.exit_code == 2
    assert "--procs" in result.stderr
    assert not (tmp_path / "i").exists()


# search


def test_search_json_structure(runner, seeds_index):
    answer = search_json(runner, seeds_index, "لافروف", "--limit", "3")

    assert answer["total"] == 5 and answer["mode"] == "all"
    assert answer["page"] == 1 and answer["page_size"] == 3
    assert isinstance(answer["took_ms"], (int, float)) and answer["took_ms"] >= 0
    # The seeds are five undated reports in a five-article index, where the words of their
    # story are in every article and weigh little: each stands as a story of its own.
    assert answer["stories"] == 5 and len(answer["hits"]) == 3
    hit = answer["hits"][0]
    assert set(hit) == {"id", "title", "title_html", "score", "snippet", "source", "url", "published", "duplicates"}
    assert (SEEDS / f"{hit['id']}.txt").exists()
    assert "<mark>" in hit["snippet"] and "لافروف</mark>" in hit["snippet"]
    second_page = search_json(runner, seeds_index, "لافروف", "--limit", "3", "--page", "2")
    shown = [h["id"] for page in (answer, second_page) for h in page["hits"]]
    assert sorted(shown) == sorted(p.stem for p in SEEDS.glob("*.txt"))


def test_search_prints_hits_for_the_terminal(runner, small_index):
    result = runner.invoke(cli, ["search", "الكتاب", "--index", str(small_index)])

    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "1 result for «الكتاب»" in out
    assert "مكتبةُ الإسكندريّة تفتح قاعةً جديدة" in out and "library" in out
    # Not a terminal: matches in brackets, no HTML tags or escape codes; the match is
    # the article's own spelling, diacritics included.
    assert "[الكِتَابَ]" in out
    assert "<mark>" not in out and "\x1b[" not in out
    assert "القمح" not in out


def test_search_output_unescapes_html(runner, small_index):
    result = runner.invoke(cli, ["search", "مخطوطات البحث", "--index", str(small_index)])

    assert result.exit_code == 0, result.output
    assert "(R&D)" in result.stdout and "<[مخطوطات]>" in result.stdout
    assert "&amp;" not in result.stdout and "&lt;" not in result.stdout


def test_search_says_when_it_fell_back_to_any_word(runner, small_index):
    result = runner.invoke(cli, ["search", "القمح الإسكندرية", "--index", str(small_index)])

    assert result.exit_code == 0, result.output
    assert "No article has all the words" in result.stdout
    assert "2 results" in result.stdout
    assert search_json(runner, small_index, "القمح الإسكندرية")["mode"] == "any"
    assert "No article has all" not in runner.invoke(cli, ["search", "القمح", "--index", str(small_index)]).stdout


def test_search_without_index_fails(runner, tmp_path):
    result = runner.invoke(cli, ["search", "كتاب", "--index", str(tmp_path / "nothing")])

    assert_one_line_error(result, 1, "no index at", str(tmp_path / "nothing"))


def test_search_with_overlong_query_is_a_usage_error(runner, seeds_index):
    result = runner.invoke(cli, ["search", "كتابٌ " * 1000, "--index", str(seeds_index)])

    assert_one_line_error(result, 2, "الاستعلام طويل", "على الأكثر")
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["كتاب", "--queries", "QUERIES"], "not both"),
        ([], "missing QUERY"),
        (["--queries", "QUERIES"], "--queries needs --run"),
        (["كتاب", "--run", "out.txt"], "--run only applies with --queries"),
        (["--queries", "QUERIES", "--run", "out.txt", "--json"], "--json only applies to a single QUERY"),
        (["كتاب", "--limit", "500"], "at most 100"),
        (["--queries", "QUERIES", "--run", "out.txt", "--tag", "two words"], "one word"),
        (["كتاب", "--all"], "--all needs --format"),
        (["كتاب", "--all", "--format", "csv", "--page", "2"], "--page does not apply with --all"),
        (["كتاب", "--json", "--format", "jsonl"], "not both"),
        (["كتاب", "--format", "xlsx"], "xlsx"),
        (["--queries", "QUERIES", "--run", "out.txt", "--format", "csv"], "--format only applies to a single QUERY"),
    ],
)
def test_search_usage_errors(runner, seeds_index, tmp_path, args, message):
    queries = tmp_path / "queries.tsv"
    queries.write_text("q1\tكوريا\n", encoding="utf-8")
    args = [str(queries) if a == "QUERIES" else a for a in args]

    result = runner.invoke(cli, ["search", *args, "--index", str(seeds_index)])

    assert result.exit_code == 2
    assert message in result.stderr
    assert not (tmp_path / "out.txt").exists()


# taking results away: every matching article as CSV or JSON Lines


def test_search_all_as_csv_lists_every_report_for_a_spreadsheet(runner, news_index_dir, news):
    result = runner.invoke(cli, ["search", "بعد", "--all", "--format", "csv", "--index", str(news_index_dir)])

    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes.startswith("\ufeff".encode("utf-8"))  # Excel reads Arabic as UTF-8
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))
    expected = news.search("بعد", page_size=100, group_duplicates=False).hits
    assert [row["id"] for row in rows] == [hit.id for hit in expected]
    assert len(rows) > 10  # more than one page of the default size, reports of one story each on a row
    heat = next(row for row in rows if row["id"] == "iraq-heat-skynews")
    assert heat["outlet"] == "سكاي نيوز عربية" and heat["date"] == "2025-07-20" and heat["url"].startswith("https://")
    assert heat["title"].startswith("العراق يعطّل الدوام") and float(heat["score"]) > 0


def test_search_format_jsonl_prints_one_article_a_line(runner, news_index_dir):
    one_page = runner.invoke(cli, ["search", "العراق", "--format", "jsonl", "--limit", "3", "--index", str(news_index_dir)])
    every = runner.invoke(cli, ["search", "العراق", "--all", "--format", "jsonl", "--index", str(news_index_dir)])

    assert one_page.exit_code == every.exit_code == 0
    page_rows = [json.loads(line) for line in one_page.stdout.splitlines()]
    all_rows = [json.loads(line) for line in every.stdout.splitlines()]
    assert len(page_rows) == 3 and page_rows == all_rows[:3]
    assert list(all_rows[0]) == ["id", "title", "outlet", "date", "url", "score"]


def test_search_all_with_a_query_that_cannot_run_is_a_usage_error(runner, news_index_dir):
    result = runner.invoke(cli, ["search", "ك*", "--all", "--format", "csv", "--index", str(news_index_dir)])

    assert_one_line_error(result, 2, "النجمة")
    assert result.stdout == ""


# batch search (TREC run files)


def test_batch_search_writes_trec_run(runner, seeds_index, tmp_path):
    queries = tmp_path / "queries.tsv"
    queries.write_text("101\tكوريا الشمالية\n\n102\tلافروف وونسان\n   \n103\tأوكرانيـــا\n", encoding="utf-8")
    run = tmp_path / "run.txt"

    result = runner.invoke(cli, [
        "search", "--queries", str(queries), "--run", str(run),
        "--index", str(seeds_index), "--limit", "4", "--tag", "arabic-full",
    ])

    assert result.exit_code == 0, result.output
    lines = run.read_text(encoding="utf-8").splitlines()
    by_query = {}
    for line in lines:
        columns = line.split()
        assert len(columns) == 6, line
        qid, q0, doc_id, rank, score, tag = columns
        assert (q0, tag) == ("Q0", "arabic-full")
        assert (SEEDS / f"{doc_id}.txt").exists()
        by_query.setdefault(qid, []).append((int(rank), float(score), doc_id))
    assert list(by_query) == ["101", "102", "103"]
    with closing(SearchIndex(seeds_index)) as index:
        for qid, text in [("101", "كوريا الشمالية"), ("102", "لافروف وونسان"), ("103", "أوكرانيـــا")]:
            ranked = by_query[qid]
            assert [rank for rank, _, _ in ranked] == list(range(1, len(ranked) + 1))
            scores = [score for _, score, _ in ranked]
            assert scores == sorted(scores, reverse=True)
            assert len(ranked) <= 4
            assert [doc for _, _, doc in ranked] == [doc for doc, _ in index.ranked_ids(text, 4)]
    assert f"wrote {len(lines)} lines for 3 queries" in result.stdout


def test_batch_search_names_malformed_line(runner, seeds_index, tmp_path):
    queries = tmp_path / "queries.tsv"
    queries.write_text("101\tكوريا\n\n103 روسيا بلا علامة جدولة\n", encoding="utf-8")
    run = tmp_path / "run.txt"

    result = runner.invoke(cli, ["search", "--queries", str(queries), "--run", str(run), "--index", str(seeds_index)])

    assert_one_line_error(result, 2, f"{queries}:3:", "qid<TAB>")
    assert not run.exists()


# stats


def test_stats_json(runner, seeds_index):
    result = runner.invoke(cli, ["stats", "--index", str(seeds_index), "--json"])

    assert result.exit_code == 0, result.output
    numbers = json.loads(result.stdout)
    assert numbers["documents"] == 5
    assert isinstance(numbers["terms"], int) and numbers["terms"] > 100
    assert numbers["segments"] >= 1
    generation = seeds_index / numbers["generation"]
    assert generation == store.current_generation(seeds_index)
    assert numbers["size_bytes"] == sum(p.stat().st_size for p in generation.iterdir() if p.is_file())
    assert numbers["build_seconds"] > 0


def test_stats_text_and_missing_index(runner, seeds_index, tmp_path):
    result = runner.invoke(cli, ["stats", "--index", str(seeds_index)])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].split() == ["documents", "5"]

    assert_one_line_error(runner.invoke(cli, ["stats", "--index", str(tmp_path / "none")]), 1, "no index at")


# analyze

ANALYZE_TEXT = "وَالْكِتَابُ في المـــدرسةِ، قرأه مسؤولٌ إلى أُمَّةٍ"


def test_analyze_json_follows_each_token(runner):
    result = runner.invoke(cli, ["analyze", ANALYZE_TEXT, "--json"])

    assert result.exit_code == 0, result.output
    tokens = json.loads(result.stdout)["tokens"]
    for token in tokens:
        assert ANALYZE_TEXT[token["start"] : token["end"]] == token["original"]
    by_word = {t["original"]: t for t in tokens}
    book = by_word["وَالْكِتَابُ"]
    assert (book["start"], book["end"]) == (0, 12)
    assert book["steps"]["StripDiacritics"] == "والكتاب"
    assert book["steps"]["ArabicLightStem"] == "كتاب" and book["term"] == "كتاب"
    assert by_word["المـــدرسةِ"]["steps"]["StripTatweel"] == "المدرسة"
    assert by_word["مسؤولٌ"]["steps"]["HamzaSeat"] == "مسءول"
    assert by_word["أُمَّةٍ"]["steps"]["Alef"] == "امة"
    for stop in ("في", "إلى"):
        assert by_word[stop]["steps"]["StopWords"] is None and by_word[stop]["term"] is None
    # The terms are exactly what the index makes of the text.
    assert [t["term"] for t in tokens if t["term"]] == [t.text for t in stemming_analyzer()(ANALYZE_TEXT)]


def test_analyze_table(runner):
    result = runner.invoke(cli, ["analyze", ANALYZE_TEXT])

    assert result.exit_code == 0, result.output
    header, *rows = result.stdout.splitlines()
    assert header.split()[:4] == ["offsets", "original", "tokenize", "Compatibility"]
    assert header.split()[-1] == "EnglishStem"
    book = rows[0].split()
    assert book[:3] == ["0-12", "وَالْكِتَابُ", "وَالْكِتَابُ"] and book[-1] == "كتاب"
    stop = rows[1].split()
    assert stop[0] == "13-15" and stop[-1] == "(stop)"


def test_analyze_uses_the_collection_vocabulary_of_the_index(runner, tmp_path):
    """The index counted وزير and never زير, so its stemmer keeps وزير whole; without an
    index the plain rules read و as "and" and say so."""
    (tmp_path / "a.txt").write_text("وزير الخارجية\nقال وزير الخارجية إن الوزير وقال", encoding="utf-8")
    index_dir = tmp_path / "index"
    assert runner.invoke(cli, ["build", str(tmp_path / "a.txt"), "--index", str(index_dir), "--quiet"]).exit_code == 0

    with_index = runner.invoke(cli, ["analyze", "وزير وقال", "--index", str(index_dir), "--json"])
    without = runner.invoke(cli, ["analyze", "وزير وقال", "--index", str(tmp_path / "none"), "--json"])

    assert [t["term"] for t in json.loads(with_index.stdout)["tokens"]] == ["وزير", "قال"]
    assert [t["term"] for t in json.loads(without.stdout)["tokens"]] == ["زير", "قال"]
    assert "no index at" in without.stderr and not with_index.stderr


def test_analyze_splits_ligature_into_words_at_its_offsets(runner):
    result = runner.invoke(cli, ["analyze", "محمد ﷺ", "--json"])

    tokens = json.loads(result.stdout)["tokens"]
    ligature = [t for t in tokens if t["original"] == "ﷺ"]
    assert [t["steps"]["Compatibility"] for t in ligature] == ["صلى", "الله", "عليه", "وسلم"]
    assert all((t["start"], t["end"]) == (5, 6) for t in ligature)


# python -m indexer


def test_python_dash_m_runs_the_cli(seeds_index):
    done = subprocess.run(
        [sys.executable, "-m", "indexer", "search", "بيونغ يانغ", "--index", str(seeds_index), "--json"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["total"] >= 1 and "<mark>" in answer["hits"][0]["snippet"]

    usage = subprocess.run([sys.executable, "-m", "indexer", "--help"], capture_output=True, text=True, cwd=ROOT, check=False)
    assert usage.returncode == 0
    assert "Usage: python -m indexer" in usage.stdout
    assert all(command in usage.stdout for command in ("build", "search", "stats", "analyze"))


def test_arabic_search_console_command_is_the_same_cli(seeds_index):
    command = Path(sys.executable).with_name("arabic-search")
    done = subprocess.run([command, "search", "بيونغ يانغ", "--index", seeds_index, "--json"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] >= 1
    usage = subprocess.run([command, "--help"], capture_output=True, text=True, check=False)
    assert "Usage: arabic-search" in usage.stdout and "serve" in usage.stdout


def served_at(server, seconds=60):
    """The address a starting ``serve`` logs on stderr ("Serving on http://127.0.0.1:PORT")."""
    said, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline and select.select([server.stderr], [], [], deadline - time.monotonic())[0]:
        line = server.stderr.readline()
        said.append(line)
        if found := re.search(r"Serving on (http://127\.0\.0\.1:\d+)", line):
            return found.group(1)
        if not line:
            break
    raise AssertionError("serve did not say where it listens: " + "".join(said))


def test_serve_answers_on_the_port_it_was_given(seeds_index):
    server = subprocess.Popen(
        [sys.executable, "-u", "-m", "indexer", "serve", "--index", seeds_index, "--port", "0", "--threads", "2"],
        stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        url = served_at(server)
        with urllib.request.urlopen(f"{url}/api/search?q={quote('لافروف')}", timeout=30) as response:
            assert json.load(response)["total"] == 5
    finally:
        server.terminate()
        server.communicate(timeout=30)


# two indexing commands at once

HOLD_LOCK = """
import sys
from indexer.indexing import store
with store.writer_lock(sys.argv[1]):
    print("locked", flush=True)
    sys.stdin.read()
"""


def run_module(*args):
    return subprocess.run([sys.executable, "-m", "indexer", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT, check=False)


def test_build_while_another_process_writes_names_it_and_changes_nothing(articles, small_index):
    generation = store.current_generation(small_index)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(small_index)], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline() == "locked\n"

        done = run_module("build", articles, "--index", small_index)

        assert done.returncode == 1
        assert done.stderr.splitlines() == [
            f"error: another indexing command (pid {holder.pid}) is writing {small_index}; try again when it ends"
        ]
        assert store.current_generation(small_index) == generation
        assert run_module("update", articles, "--index", small_index).returncode == 1
    finally:
        holder.communicate("")
    # The holder ended: the lock is free again.
    assert run_module("build", articles, "--index", small_index, "--quiet").returncode == 0
    assert store.current_generation(small_index) != generation


def test_lock_of_a_killed_command_is_released(articles, small_index):
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(small_index)], cwd=ROOT,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "locked\n"
    holder.kill()
    holder.communicate()

    done = run_module("build", articles, "--index", small_index, "--quiet")

    assert done.returncode == 0, done.stderr


# progress

PROGRESS_LINE = re.compile(r"^(read \d+/\d+ files|indexed \d+/\d+ articles) \(\d+/s\)$")


def test_progress_lines_on_stderr_when_not_a_terminal(runner, articles, tmp_path):
    (articles / "feed.jsonl").write_text(
        "".join(json.dumps({"id": f"r{n}", "title": f"خبر رقم {n}", "text": "وصلت شحنةُ القمح إلى الميناء."},
                           ensure_ascii=False) + "\n" for n in range(3)), encoding="utf-8")

    result = runner.invoke(cli, ["build", str(articles), "--index", str(tmp_path / "index"),
                                 "--json", "--progress-seconds", "0"])

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["documents"] == 5  # stdout stays pure JSON
    lines = result.stderr.splitlines()
    assert all(PROGRESS_LINE.match(line) for line in lines), lines
    assert [line.split(" (")[0] for line in lines] == [
        "read 1/3 files", "read 2/3 files", "read 3/3 files",
        *(f"indexed {n}/5 articles" for n in range(1, 6)),
    ]


def test_quiet_turns_progress_off(runner, articles, tmp_path):
    result = runner.invoke(cli, ["build", str(articles), "--index", str(tmp_path / "index"),
                                 "--progress-seconds", "0", "--quiet"])

    assert result.exit_code == 0, result.output
    assert result.stderr == ""


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_progress_in_a_log_writes_a_line_every_interval():
    stream, clock = io.StringIO(), FakeClock()
    progress = Progress(stream, terminal=False, interval=10, clock=clock)

    progress.start("indexed", 100, "articles")
    for _ in range(100):
        clock.now += 0.25  # 4 articles a second: a line every 40 articles
        progress.advance()
    progress.finish()

    assert stream.getvalue().splitlines() == [
        "indexed 40/100 articles (4/s)", "indexed 80/100 articles (4/s)", "indexed 100/100 articles (4/s)",
    ]


def test_progress_on_a_terminal_redraws_a_bar_with_rate_and_time_left():
    stream, clock = io.StringIO(), FakeClock()
    progress = Progress(stream, terminal=True, clock=clock)

    progress.start("indexed", 20000, "articles")
    clock.now = 5.0
    progress.advance(5000)
    drawn = stream.getvalue()
    clock.now = 20.0
    progress.advance(15000)
    progress.finish()

    assert drawn == "\rindexed [#####---------------] 5000/20000 articles  1000/s  0:15 left\x1b[K"
    assert stream.getvalue().endswith("\rindexed [####################] 20000/20000 articles  1000/s  0:00 left\x1b[K\n")
