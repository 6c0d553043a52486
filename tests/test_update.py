"""``python -m indexer update``, as a script sees it: the JSON summary, the exit codes,
the one-line messages, and what searches find afterwards."""

import json
from contextlib import closing

import pytest
from click.testing import CliRunner

from indexer import SearchIndex, build_index, engine
from indexer.cli import cli
from indexer.indexing import building, store
from indexer.indexing.updating import update_index
from indexer.search.rerank import Reranker

# Real-world spellings: harakat, hamza on alef and waw, tatweel, ى/ي, ة, Arabic-Indic
# digits, a Latin name.
ARTICLES = {
    "cairo": "معرضُ القاهرة الدولي للكتاب يفتح أبوابه\nافتتح وزير الثقافة المعرض في دورته الـ٥٦ بمشاركة ناشرين من ٨٠ دولة، وقال إنّ الإقبال فاق التوقّعات.\n",
    "wheat": "أسعار القمـــح ترتفع في الأسواق\nارتفعت أسعار القمح والشعير هذا الأسبوع بسبب الجفاف، وقال تجار إنّ الأسعار ستبقى مرتفعة حتى نهاية الشتاء.\n",
}
NEW_ARTICLE = "مؤتمر المناخ في مراكش\nاجتمع ممثّلو مئة دولة في مراكش لمناقشة التغيّر المناخي، ودعت منظمة Greenpeace إلى خفض الانبعاثات.\n"
OTHER_FOLDER = {
    "gulf": "مباراة كرة القدم في الدوحة\nفاز المنتخب في مباراةٍ على ملعب الدوحة أمام جمهورٍ كبير، وسجّل اللاعب هدفين.\n",
}


@pytest.fixture
def runner():
    return CliRunner()


def write(folder, articles):
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def news(tmp_path):
    return write(tmp_path / "news", ARTICLES)


@pytest.fixture
def index_dir(runner, news, tmp_path, engine_name):
    """The news indexed by each engine in turn: updates keep the engine of the index."""
    index_dir = tmp_path / "index"
    result = runner.invoke(cli, ["build", str(news), "--index", str(index_dir), "--quiet", "--engine", engine_name])
    assert result.exit_code == 0, result.output
    return index_dir


def update(runner, *args):
    return runner.invoke(cli, ["update", *map(str, args), "--quiet"])


def update_json(runner, *args, code=0):
    result = update(runner, *args, "--json")
    assert result.exit_code == code, result.output
    return json.loads(result.stdout)


def found_ids(index_dir, query):
    with closing(SearchIndex(index_dir)) as index:
        return {hit.id for hit in index.search(query, group_duplicates=False).hits}


def test_update_adds_a_new_article(runner, news, index_dir):
    (news / "climate.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    before = store.current_generation(index_dir)

    summary = update_json(runner, news, "--index", index_dir)

    assert (summary["added"], summary["changed"], summary["removed"]) == (1, 0, 0)
    assert summary["unchanged"] == 2 and summary["up_to_date"] is False and summary["built"] is False
    assert summary["skipped"] == []
    assert store.current_generation(index_dir) != before
    # Found with another hamza seat and without the shadda it was written with.
    assert found_ids(index_dir, "ممثلو مراكش") == {"climate"}
    assert found_ids(index_dir, "greenpeace") == {"climate"}
    assert found_ids(index_dir, "القمح") == {"wheat"}


def test_update_reindexes_a_changed_article(runner, news, index_dir):
    (news / "wheat.txt").write_text(
        "أسعار الأرز تنخفض في الأسواق\nانخفضت أسعار الأرز هذا الأسبوع بعد وصول شحناتٍ جديدة.\n", encoding="utf-8"
    )

    summary = update_json(runner, news, "--index", index_dir)

    assert (summary["added"], summary["changed"], summary["removed"]) == (0, 1, 0)
    assert found_ids(index_dir, "الأرز") == {"wheat"}
    assert found_ids(index_dir, "الشعير") == set()
    with closing(SearchIndex(index_dir)) as index:
        assert index.stats()["documents"] == 2


def test_update_removes_an_article_whose_file_is_gone(runner, news, index_dir):
    (news / "cairo.txt").unlink()

    summary = update_json(runner, news, "--index", index_dir)

    assert (summary["added"], summary["changed"], summary["removed"]) == (0, 0, 1)
    assert found_ids(index_dir, "معرض الكتاب") == set()
    assert found_ids(index_dir, "القمح") == {"wheat"}


def test_update_with_nothing_changed_writes_nothing_and_says_so(runner, news, index_dir):
    generation = store.current_generation(index_dir)

    result = update(runner, news, "--index", index_dir)

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"nothing to do: {index_dir} is up to date (2 unchanged)"
    assert result.stderr == ""
    assert store.current_generation(index_dir) == generation
    assert sorted(p.name for p in index_dir.glob(store.GENERATION_PREFIX + "*")) == [generation.name]
    assert update_json(runner, news, "--index", index_dir)["up_to_date"] is True


def test_update_text_summary_and_verbose_ids(runner, news, index_dir):
    (news / "climate.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    (news / "cairo.txt").unlink()

    result = update(runner, news, "--index", index_dir, "--verbose")

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "1 added, 0 changed, 1 removed, 1 unchanged" in lines[0]
    assert "added climate" in lines and "removed cairo" in lines
    assert f"read {news / 'climate.txt'} (utf-8)" in lines


def test_update_without_an_index_builds_one(runner, news, tmp_path):
    index_dir = tmp_path / "fresh"

    result = update(runner, news, "--index", index_dir)

    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"no index at {index_dir} yet: built one with 2 documents"
    assert found_ids(index_dir, "القاهرة") == {"cairo"}
    again = update_json(runner, news, "--index", index_dir)
    assert again["up_to_date"] is True and again["unchanged"] == 2


def test_update_json_when_it_builds(runner, news, tmp_path):
    summary = update_json(runner, news, "--index", tmp_path / "fresh", "--verbose")

    assert summary["built"] is True and summary["added"] == 2
    assert sorted(summary["ids"]["added"]) == ["cairo", "wheat"]


def test_update_of_one_folder_leaves_the_other_folders_articles(runner, news, tmp_path):
    gulf = write(tmp_path / "gulf", OTHER_FOLDER)
    index_dir = tmp_path / "index"
    assert runner.invoke(cli, ["build", str(news), str(gulf), "--index", str(index_dir), "--quiet"]).exit_code == 0

    # An update of news/ alone: gulf's article is not under news/, so it stays.
    summary = update_json(runner, news, "--index", index_dir)
    assert summary["up_to_date"] is True and summary["removed"] == 0
    assert found_ids(index_dir, "الدوحة") == {"gulf"}

    # Emptying gulf/ and updating it removes its article only.
    (gulf / "gulf.txt").unlink()
    summary = update_json(runner, gulf, "--index", index_dir, "--verbose")
    assert summary["ids"]["removed"] == ["gulf"] and summary["removed"] == 1
    assert found_ids(index_dir, "الدوحة") == set()
    assert found_ids(index_dir, "القمح") == {"wheat"}


def test_update_of_one_file_given_by_name(runner, news, index_dir):
    (news / "wheat.txt").write_text(ARTICLES["wheat"].replace("الشتاء", "الربيع"), encoding="utf-8")
    (news / "cairo.txt").unlink()

    summary = update_json(runner, news / "wheat.txt", "--index", index_dir)

    # cairo.txt is not among the paths given, so its article is kept.
    assert (summary["added"], summary["changed"], summary["removed"]) == (0, 1, 0)
    assert found_ids(index_dir, "الربيع") == {"wheat"}
    assert found_ids(index_dir, "القاهرة") == {"cairo"}


def test_an_id_indexed_from_another_folder_is_skipped_not_replaced(runner, news, index_dir, tmp_path):
    other = write(tmp_path / "other", {"wheat": NEW_ARTICLE})

    summary = update_json(runner, other, "--index", index_dir, code=3)

    assert summary["added"] == 0 and summary["changed"] == 0
    [skip] = summary["skipped"]
    assert skip["path"] == str(other / "wheat.txt") and "duplicate id 'wheat'" in skip["reason"]
    assert found_ids(index_dir, "القمح") == {"wheat"}
    assert found_ids(index_dir, "مراكش") == set()


def test_update_skips_bad_files_with_exit_3_and_names_them(runner, news, index_dir):
    (news / "broken.txt").write_bytes("خبر".encode() + b"\xff\xfe\xd8\x00\x00\x00" * 40)
    (news / "climate.txt").write_text(NEW_ARTICLE, encoding="utf-8")

    result = update(runner, news, "--index", index_dir)

    assert result.exit_code == 3, result.output
    [warning] = result.stderr.splitlines()
    assert warning.startswith(f"warning: skipped {news / 'broken.txt'}: ")
    assert "1 added" in result.stdout and "skipped 1 file" in result.stdout
    summary = update_json(runner, news, "--index", index_dir, code=3)
    assert [s["path"] for s in summary["skipped"]] == [str(news / "broken.txt")]
    assert summary["up_to_date"] is True


def test_update_of_a_collection_follows_its_records(runner, tmp_path):
    feed = tmp_path / "feed.jsonl"
    records = [
        {"id": "a1", "title": "انتخابات بلدية في تونس", "content": "أدلى الناخبون بأصواتهم في ٢٤ بلدية.", "source": "وكالة"},
        {"id": "a2", "title": "افتتاح جسر جديد في بغداد", "content": "افتُتح الجسر أمام حركة السيارات.", "source": "وكالة"},
    ]
    feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    index_dir = tmp_path / "index"
    built = runner.invoke(cli, ["build", str(feed), "--index", str(index_dir), "--field", "text=content", "--quiet"])
    assert built.exit_code == 0, built.output
    assert found_ids(index_dir, "الناخبين") == {"a1"}

    # Only the outlet changes for a1 (the text is the same): still re-indexed; a2 is gone.
    records = [dict(records[0], source="صحيفة")]
    feed.write_text(json.dumps(records[0], ensure_ascii=False) + "\n", encoding="utf-8")
    summary = update_json(runner, feed, "--index", index_dir, "--field", "text=content", "--verbose")

    assert summary["ids"] == {"added": [], "changed": ["a1"], "removed": ["a2"]}
    with closing(SearchIndex(index_dir)) as index:
        assert index.document("a1")["source"] == "صحيفة"
    assert found_ids(index_dir, "بغداد") == set()


def test_update_keeps_the_stemmers_vocabulary_until_a_build(runner, news, index_dir):
    def vocabulary():
        with closing(SearchIndex(index_dir)) as index:
            return index.snapshot.analysis.counts

    before = vocabulary()
    (news / "climate.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    assert update_json(runner, news, "--index", index_dir)["added"] == 1

    # Queries are analyzed with the index's own analysis, so they still meet the documents.
    assert vocabulary() == before and "مراكش" not in before
    assert found_ids(index_dir, "مراكش") == {"climate"}
    # A full build counts the new article's words: "بمراكش" is then read as ب + مراكش.
    assert runner.invoke(cli, ["build", str(news), "--index", str(index_dir), "--quiet"]).exit_code == 0
    assert "مراكش" in vocabulary()
    assert found_ids(index_dir, "بمراكش") == {"climate"}


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["MISSING"], 1, "no such file or folder"),
        (["NEWS", "--field", "colour=content"], 2, "unknown field 'colour'"),
        (["NEWS", "--field", "text"], 2, "NAME=COLUMN"),
        (["NEWS", "--procs", "0"], 2, "--procs"),
    ],
)
def test_update_errors_are_one_line_and_leave_the_index(runner, news, index_dir, tmp_path, args, code, message):
    generation = store.current_generation(index_dir)
    args = [str(tmp_path / "missing") if a == "MISSING" else str(news) if a == "NEWS" else a for a in args]

    result = update(runner, *args, "--index", index_dir)

    assert result.exit_code == code, result.output
    assert message in result.stderr and "Traceback" not in result.output
    if code == 1:
        assert result.stderr.splitlines() == [result.stderr.strip()] and result.stderr.startswith("error: ")
    assert store.current_generation(index_dir) == generation


def test_update_while_another_command_writes_fails(runner, news, index_dir):
    (news / "climate.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    generation = store.current_generation(index_dir)

    with store.writer_lock(index_dir):
        result = update(runner, news, "--index", index_dir)

    assert result.exit_code == 1
    assert result.stderr.startswith("error: another indexing command") and len(result.stderr.splitlines()) == 1
    assert store.current_generation(index_dir) == generation


def test_update_of_an_index_that_stored_relative_paths(runner, news, tmp_path, monkeypatch):
    """Indexes built before paths were stored absolute hold them as given on the command
    line; an update run from the same folder still finds their articles."""
    monkeypatch.chdir(tmp_path)
    absolute = building.document_fields
    monkeypatch.setattr(building, "document_fields", lambda article, path: {
        **absolute(article, path), "path": article.path})
    build_index(["news"], "index")
    monkeypatch.setattr(building, "document_fields", absolute)
    (news / "cairo.txt").unlink()

    summary = update_json(runner, "news", "--index", "index", "--verbose")

    assert summary["skipped"] == []
    assert summary["ids"]["removed"] == ["cairo"]
    assert found_ids(tmp_path / "index", "القمح") == {"wheat"}


def test_update_of_an_index_built_before_the_forward_index(runner, news, tmp_path, monkeypatch, engine_name):
    """Indexes built before the forward index have no row column; an update adds to them
    as they are, and their articles are re-ranked from their text."""
    engine_module = engine.engine(engine_name)
    monkeypatch.setattr(engine_module, "ROW_FIELD", "former_schema")
    build_index([news], tmp_path / "index", engine_name=engine_name)
    monkeypatch.undo()
    (news / "climate.txt").write_text(NEW_ARTICLE, encoding="utf-8")

    summary = update_json(runner, news, "--index", tmp_path / "index")

    assert summary["added"] == 1
    with closing(SearchIndex(tmp_path / "index")) as index:
        s = index.snapshot
        assert s.reader.rows([s.reader.key("climate")]) is None
        assert [hit.id for hit in index.search("مراكش المناخ").hits] == ["climate"]
        assert [hit.id for hit in index.search("أسعار القمح").hits] == ["wheat"]


def test_after_updates_each_article_is_re_ranked_by_its_own_terms(runner, news, tmp_path, engine_name):
    """An update appends the rows of new and changed articles to the forward index; each
    article then reads its own row, the one its current text gives."""
    build_index([news], tmp_path / "index", engine_name=engine_name)
    (news / "climate.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    update_json(runner, news, "--index", tmp_path / "index")
    wheat = (news / "wheat.txt").read_text(encoding="utf-8")
    (news / "wheat.txt").write_text(wheat.replace("الجفاف", "الجفاف والصقيع"), encoding="utf-8")
    (news / "cairo.txt").unlink()
    update_json(runner, news, "--index", tmp_path / "index")

    with closing(SearchIndex(tmp_path / "index")) as index:
        s = index.snapshot
        keys = [s.reader.key(doc_id) for doc_id in ("wheat", "climate")]
        assert all(isinstance(row, int) for row in s.reader.rows(keys))
        from_text = Reranker(s.reader, s.analysis, forward=None)
        for (kept, _), (analyzed, _) in zip(s.reranker._terms_of(keys), from_text._terms_of(keys)):
            assert kept.tolist() == analyzed.tolist()
        assert [hit.id for hit in index.search("الصقيع").hits] == ["wheat"]


# Whoosh merges with our policy (engine.whoosh_engine.merge_small_segments); tantivy with
# its own (a layer of small segments merges once it holds 8).
MOST_SEGMENTS = {"whoosh": 3, "tantivy": 9}


def test_updates_in_small_batches_keep_the_segments_few(news, index_dir, engine_name):
    """A newsroom updates all day, a dozen reports at a time. Each update adds a segment,
    and every open segment costs each server thread its files and memory, so merging
    keeps them few, and every report stays found."""
    most = 0
    for batch in range(8):
        write(news, {f"brief-{batch}-{i}": f"موجز الأخبار {batch}\nنشرة الطقس في الرباط رقم {i} من الدفعة {batch}.\n"
                     for i in range(12)})
        update_index([news], index_dir)
        with closing(SearchIndex(index_dir)) as index:
            most = max(most, index.stats()["segments"])
            assert index.search("الرباط", page_size=1, group_duplicates=False).total == 12 * (batch + 1)
    assert most <= MOST_SEGMENTS[engine_name]
