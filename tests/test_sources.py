"""Reading real collections: every format, encoding, metadata and bad input the indexer
meets, in the user's terms (what is indexed, and what is skipped with which reason)."""

import csv
import gzip
import io
import json
import os
import pathlib
import random
import tracemalloc
from datetime import datetime

import pytest

from indexer import SearchIndex, build_index
from indexer.sources import (
    MAX_DOCUMENT_BYTES,
    Article,
    FieldNames,
    Skip,
    SourceError,
    find_files,
    read_sources,
)

SEEDS = pathlib.Path(__file__).resolve().parent.parent / "seeds"

TITLE = "لافروف يلتقي كيم جونغ أون في وونسان"
BODY = (
    "التقى وزيرُ الخارجية الروسي سيرغي لافروف الزعيمَ الكوري الشمالي كيم جونغ أون، "
    "وقالت وكالة الأنباء المركزية الكورية (KCNA) إن المحادثات تناولت «التعاون الاستراتيجي» "
    "بين البلدين في ١٢ يوليو ٢٠٢٥."
)
# Windows-1256 and ISO-8859-6 cannot write guillemets, tatweel or Arabic-Indic digits.
PLAIN_BODY = "أعلنت وزارة الصحة الفلسطينية عن إصابات جديدة، وقال مسؤولٌ إن الوضع تحت السيطرة؟ وأضاف أن المستشفيات تعمل بكامل طاقتها."


def articles(items):
    return [item for item in items if isinstance(item, Article)]


def skips(items):
    return {item.path: item.reason for item in items if isinstance(item, Skip)}


def read(*paths, fields=FieldNames()):
    return list(read_sources(list(paths), fields))


def only_article(*paths, fields=FieldNames()):
    items = read(*paths, fields=fields)
    assert len(items) == 1 and isinstance(items[0], Article), items
    return items[0]


# --- .txt and ids -----------------------------------------------------------------------


def read_counting_peak_memory(path):
    """``(articles read from path, peak traced memory in bytes)``; anything but an
    article fails."""
    tracemalloc.start()
    count = 0
    try:
        for item in read_sources([path]):
            assert isinstance(item, Article), item
            count += 1
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_txt_first_line_is_the_title(tmp_path):
    (tmp_path / "wonsan.txt").write_text(f"\n{TITLE}\n{BODY}\n", encoding="utf-8")

    article = only_article(tmp_path)

    assert (article.id, article.title, article.body) == ("wonsan", TITLE, BODY)
    assert article.encoding == "utf-8"


def test_same_file_name_in_two_subfolders_gives_two_ids(tmp_path):
    for outlet in ("aljazeera", "bbc"):
        (tmp_path / outlet / "2025").mkdir(parents=True)
        (tmp_path / outlet / "2025" / "lavrov.txt").write_text(f"{TITLE}\n{outlet}", encoding="utf-8")
    (tmp_path / "top.txt").write_text(f"{TITLE}\n{BODY}", encoding="utf-8")

    ids = sorted(article.id for article in articles(read(tmp_path)))

    assert ids == ["aljazeera/2025/lavrov", "bbc/2025/lavrov", "top"]


def test_seed_ids_are_their_file_names():
    ids = [article.id for article in articles(read(SEEDS))]
    assert ids == sorted(path.stem for path in SEEDS.glob("*.txt"))


def test_a_file_given_by_name_has_its_stem_as_id(tmp_path):
    (tmp_path / "deep").mkdir()
    (tmp_path / "deep" / "wonsan.txt").write_text(f"{TITLE}\n{BODY}", encoding="utf-8")
    assert only_article(tmp_path / "deep" / "wonsan.txt").id == "wonsan"


def test_folders_are_read_recursively_and_other_files_ignored(tmp_path):
    (tmp_path / "a" / "b" / "c").mkdir(parents=True)
    (tmp_path / "a" / "b" / "c" / "deep.md").write_text(f"# {TITLE}\n{BODY}", encoding="utf-8")
    (tmp_path / "a" / "notes.docx").write_bytes(b"PK\x03\x04")

    assert [article.id for article in articles(read(tmp_path))] == ["a/b/c/deep"]
    assert [path.name for path in find_files([tmp_path])] == ["deep.md"]


def test_a_missing_path_is_an_error_naming_it(tmp_path):
    with pytest.raises(SourceError, match="no-such-folder: no such file or folder"):
        read(tmp_path / "no-such-folder")


# --- .md --------------------------------------------------------------------------------

MARKDOWN = """---
title: "كيم يستقبل لافروف"
source: وكالة الأنباء
published: ١٢ تموز ٢٠٢٥
url: https://news.example/lavrov-kim
---
مقدمة قبل العنوان

# لافروف في **وونسان**

التقى [سيرغي لافروف](https://ar.wikipedia.org/wiki/لافروف) الزعيمَ *كيم جونغ أون*.

- زيارة تستمر `يومين`
- ![صورة اللقاء](kim.jpg)

> قال لافروف: العلاقات __متينة__.
"""


def test_markdown_title_metadata_and_stripped_markup(tmp_path):
    (tmp_path / "kim.md").write_text(MARKDOWN, encoding="utf-8")

    article = only_article(tmp_path)

    assert article.title == "كيم يستقبل لافروف"
    assert (article.source, article.url) == ("وكالة الأنباء", "https://news.example/lavrov-kim")
    assert article.published == datetime(2025, 7, 12)
    assert "التقى سيرغي لافروف الزعيمَ كيم جونغ أون." in article.body
    assert "زيارة تستمر يومين" in article.body and "صورة اللقاء" in article.body
    assert "قال لافروف: العلاقات متينة." in article.body
    for markup in ("](", "**", "`", "# ", "> ", "- ", "wikipedia", "---"):
        assert markup not in article.body


def test_markdown_title_from_first_heading_else_first_line(tmp_path):
    (tmp_path / "heading.md").write_text(f"تمهيد\n\n# {TITLE}\n\n{BODY}", encoding="utf-8")
    (tmp_path / "plain.md").write_text(f"**{TITLE}**\n\n{BODY}", encoding="utf-8")

    by_id = {article.id: article for article in articles(read(tmp_path))}

    assert by_id["heading"].title == TITLE and by_id["heading"].body.startswith("تمهيد")
    assert by_id["plain"].title == TITLE and by_id["plain"].body == BODY


def test_markdown_keeps_snake_case_and_arithmetic(tmp_path):
    (tmp_path / "code.md").write_text("# مثال\nالمتغير user_name يساوي 2*3*4", encoding="utf-8")
    assert only_article(tmp_path).body == "المتغير user_name يساوي 2*3*4"


# --- .html ------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head>
<meta charset="utf-8">
<title>لافروف في كوريا | الموقع</title>
<meta property="og:title" content="لافروف يلتقي كيم جونغ أون في وونسان">
<meta property="og:site_name" content="الشرق الإخبارية">
<meta property="og:url" content="https://asharq.example/2025/07/12/lavrov">
<meta property="article:published_time" content="2025-07-12T18:30:00+03:00">
<style>.x { color: red }</style>
<script>var tracking = "لا تفهرسني";</script>
</head><body>
<header><nav><a href="/">الرئيسية</a> <a href="/sport">رياضة</a></nav></header>
<article>
  <h1>لافروف يلتقي كيم</h1>
  <p>التقى وزير الخارجية الروسي <b>سيرغي لافروف</b> الزعيم الكوري الشمالي.</p>
  <aside>اقرأ أيضاً: أسعار الذهب اليوم</aside>
  <p>وقالت الوكالة إن المحادثات كانت &laquo;ودية&raquo;.</p>
  <form><input placeholder="اشترك في النشرة"></form>
</article>
<footer>جميع الحقوق محفوظة</footer>
<script>alert("لا تفهرسني")</script>
</body></html>
"""


def test_html_title_body_and_metadata(tmp_path):
    (tmp_path / "lavrov.html").write_text(PAGE, encoding="utf-8")

    article = only_article(tmp_path)

    assert article.title == "لافروف يلتقي كيم جونغ أون في وونسان"
    assert article.body.splitlines()[-2:] == [
        "التقى وزير الخارجية الروسي سيرغي لافروف الزعيم الكوري الشمالي.",
        "وقالت الوكالة إن المحادثات كانت «ودية».",
    ]
    for dropped in ("لا تفهرسني", "tracking", "color", "الرئيسية", "أسعار الذهب", "اشترك", "الحقوق"):
        assert dropped not in article.body
    assert article.source == "الشرق الإخبارية"
    assert article.url == "https://asharq.example/2025/07/12/lavrov"
    assert article.published == datetime(2025, 7, 12, 15, 30)


def test_html_without_meta_uses_h1_canonical_and_time(tmp_path):
    (tmp_path / "page.htm").write_text(
        '<html><head><title>عنوان الصفحة</title><link rel="canonical" href="https://x.example/a"></head>'
        "<body><nav>قائمة</nav><main><h1>عنوان الخبر</h1><time datetime='2025-07-15'>الثلاثاء</time>"
        "<p>نص الخبر هنا</p></main></body></html>",
        encoding="utf-8",
    )

    article = only_article(tmp_path)

    assert (article.title, article.url, article.published) == ("عنوان الخبر", "https://x.example/a", datetime(2025, 7, 15))
    assert "نص الخبر هنا" in article.body and "قائمة" not in article.body


def test_html_title_element_when_there_is_no_heading(tmp_path):
    (tmp_path / "p.html").write_text("<title>بيان صحفي</title><p>نص البيان</p>", encoding="utf-8")
    article = only_article(tmp_path)
    assert (article.title, article.body) == ("بيان صحفي", "نص البيان")


def test_html_with_only_markup_is_skipped(tmp_path):
    (tmp_path / "empty.html").write_text("<html><script>x()</script><nav>قائمة</nav></html>", encoding="utf-8")
    assert skips(read(tmp_path)) == {str(tmp_path / "empty.html"): "no text (only markup)"}


# --- .jsonl / .json / .csv --------------------------------------------------------------


def write_jsonl(path, records, encoding="utf-8"):
    path.write_bytes("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode(encoding))


def test_jsonl_records_with_metadata(tmp_path):
    write_jsonl(tmp_path / "feed.jsonl", [
        {"id": "n1", "title": TITLE, "text": BODY, "source": "الجزيرة", "url": "https://aj.example/1",
         "published": "١٢ يوليو ٢٠٢٥", "section": "سياسة"},
        {"id": "n2", "title": "Lavrov meets Kim", "body": "The Russian foreign minister met Kim Jong Un.",
         "published": "Sat, 12 Jul 2025 09:00:00 GMT"},
    ])

    first, second = read(tmp_path)

    assert (first.id, first.title, first.body, first.source, first.url) == ("n1", TITLE, BODY, "الجزيرة", "https://aj.example/1")
    assert (first.published, first.meta) == (datetime(2025, 7, 12), {"section": "سياسة"})
    assert first.path == f"{tmp_path / 'feed.jsonl'}:1"
    assert (second.body, second.published) == ("The Russian foreign minister met Kim Jong Un.", datetime(2025, 7, 12, 9, 0))


def test_records_without_id_get_file_and_line_and_bad_lines_are_skipped(tmp_path):
    (tmp_path / "news").mkdir()
    path = tmp_path / "news" / "feed.jsonl"
    path.write_text(
        json.dumps({"title": TITLE, "text": BODY}, ensure_ascii=False) + "\n"
        + '{"id": "cut", "title": "خبر مقطوع\n'
        + "\n"
        + json.dumps({"id": "no-text", "source": "الأهرام"}, ensure_ascii=False) + "\n"
        + json.dumps(["قائمة", "لا سجل"], ensure_ascii=False) + "\n"
        + json.dumps({"id": "nested", "title": {"ar": "عنوان"}}, ensure_ascii=False) + "\n"
        + json.dumps({"id": "last", "title": "آخر خبر", "text": PLAIN_BODY, "published": "قبل ساعتين"},
                     ensure_ascii=False) + "\n",
        encoding="utf-8",
    )

    items = read(tmp_path)

    assert [(a.id, a.title) for a in articles(items)] == [("news/feed:1", TITLE), ("last", "آخر خبر")]
    assert articles(items)[1].published is None and articles(items)[1].meta == {"published": "قبل ساعتين"}
    reasons = skips(items)
    assert reasons[f"{path}:2"].startswith("invalid JSON (Unterminated string")
    assert reasons[f"{path}:4"] == "record has no text (no text, body, title field)"
    assert reasons[f"{path}:5"] == "record is a list, not an object"
    assert reasons[f"{path}:6"] == "field 'title' is an object, not text"
    assert len(reasons) == 4


def test_field_options_map_other_column_names(tmp_path):
    write_jsonl(tmp_path / "scraped.jsonl", [
        {"guid": "x-1", "headline": TITLE, "content": BODY, "site": "روسيا اليوم", "link": "https://rt.example/1",
         "date": "2025/07/12", "text": "ليس هذا النص"},
    ])
    fields = FieldNames.from_options(["id=guid", "title=headline", "text=content", "source=site", "url=link", "published=date"])

    article = only_article(tmp_path, fields=fields)

    assert (article.id, article.title, article.body) == ("x-1", TITLE, BODY)
    assert (article.source, article.url, article.published) == ("روسيا اليوم", "https://rt.example/1", datetime(2025, 7, 12))
    assert article.meta == {"text": "ليس هذا النص"}


def test_text_field_alternatives_take_the_first_non_empty():
    fields = FieldNames.from_options(["text=summary, content"])
    assert fields.text == ("summary", "content")
    assert FieldNames.from_options([]) == FieldNames()


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("body=content", "unknown field 'body' in --field body=content; known fields: id, title, text, source, url, published"),
        ("text", "--field expects NAME=COLUMN, got 'text'"),
        ("title=", "--field expects NAME=COLUMN, got 'title='"),
    ],
)
def test_bad_field_options_say_what_is_wrong_in_one_line(option, message):
    with pytest.raises(ValueError) as error:
        FieldNames.from_options([option])
    assert str(error.value) == message


@pytest.mark.parametrize(
    "document",
    [
        lambda records: records,
        lambda records: {"status": "ok", "articles": records},
        lambda records: {"data": records, "count": len(records)},
    ],
)
def test_json_list_or_object_with_a_list(tmp_path, document):
    records = [{"id": "a", "title": TITLE, "text": BODY}, {"title": "خبر ثانٍ", "body": PLAIN_BODY}]
    (tmp_path / "dump.json").write_text(json.dumps(document(records), ensure_ascii=False), encoding="utf-8")

    assert [(a.id, a.title) for a in articles(read(tmp_path))] == [("a", TITLE), ("dump:2", "خبر ثانٍ")]


def test_json_single_record_takes_the_file_name_as_id(tmp_path):
    (tmp_path / "story.json").write_text(json.dumps({"title": TITLE, "text": BODY}, ensure_ascii=False), encoding="utf-8")
    assert only_article(tmp_path).id == "story"


def test_json_that_does_not_parse_is_skipped_with_where(tmp_path):
    (tmp_path / "bad.json").write_text('[{"title": "خبر"},\n {"title": ]', encoding="utf-8")
    assert skips(read(tmp_path)) == {str(tmp_path / "bad.json"): "invalid JSON (Expecting value at line 2, column 12)"}


def test_csv_with_default_columns_quoted_lines_and_semicolons(tmp_path):
    with open(tmp_path / "export.csv", "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=";")
        writer.writerow(["id", "title", "body", "source", "published"])
        writer.writerow(["c1", TITLE, BODY + "\nفقرة ثانية; بعد فاصلة منقوطة", "سكاي نيوز عربية", "15/07/2025"])
        writer.writerow(["", "خبر بلا معرف", PLAIN_BODY, "", ""])
        writer.writerow(["c3", "", "", "", ""])

    items = read(tmp_path)

    first, second = articles(items)
    assert (first.id, first.body.splitlines()[-1], first.source, first.published) == (
        "c1", "فقرة ثانية; بعد فاصلة منقوطة", "سكاي نيوز عربية", datetime(2025, 7, 15))
    assert (second.id, second.title) == ("export:4", "خبر بلا معرف")
    assert skips(items) == {f"{tmp_path / 'export.csv'}:5": "record has no text (no text, body, title field)"}


def test_csv_saved_by_excel_as_utf8_with_a_mark_keeps_its_first_column(tmp_path):
    (tmp_path / "excel.csv").write_bytes(f"id,title,text\r\nx1,{TITLE},{PLAIN_BODY}\r\n".encode("utf-8-sig"))
    article = only_article(tmp_path)
    assert (article.id, article.title, article.body, article.encoding) == ("x1", TITLE, PLAIN_BODY, "utf-8-sig")


def test_csv_without_a_text_column_says_how_to_name_it(tmp_path):
    (tmp_path / "sheet.csv").write_text("رقم,العنوان,المحتوى\n1,خبر,نص\n", encoding="utf-8")

    assert skips(read(tmp_path)) == {
        str(tmp_path / "sheet.csv"): "no text column (columns: رقم, العنوان, المحتوى); name it with --field text=COLUMN"}
    article = only_article(tmp_path, fields=FieldNames.from_options(["id=رقم", "title=العنوان", "text=المحتوى"]))
    assert (article.id, article.title, article.body) == ("1", "خبر", "نص")


# --- encodings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (f"{TITLE}\n{BODY}".encode("utf-8"), "utf-8"),
        (f"{TITLE}\n{BODY}".encode("utf-8-sig"), "utf-8-sig"),
        (f"{TITLE}\n{BODY}".encode("utf-16"), "utf-16"),
        (b"\xfe\xff" + f"{TITLE}\n{BODY}".encode("utf-16-be"), "utf-16"),
        (f"{TITLE}\n{BODY}".encode("utf-16-le"), "utf-16-le"),
        (f"{TITLE}\n{BODY}".encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_unicode_encodings_with_and_without_marks(tmp_path, data, encoding):
    (tmp_path / "a.txt").write_bytes(data)
    article = only_article(tmp_path)
    assert (article.title, article.body, article.encoding) == (TITLE, BODY, encoding)


# Real news sentences, short and long. The detector (asked about these two encodings only)
# tells them apart on all of them; unrestricted, it calls several of them Thai or Japanese.
LEGACY_TEXTS = [
    "ارتفعت أسعار القمح في الأسواق العالمية",
    "قال مسؤولٌ إنّ الحكومة ستدعم المدارس",
    "أعلنت وزارة الصحة عن 15 إصابة جديدة، وقالت إن الوضع تحت السيطرة؟",
    "The minister met Kim in Wonsan. التقى لافروف كيم في وونسان.",
    f"{TITLE}\n{PLAIN_BODY}",
    "التعليقات",
]


@pytest.mark.parametrize("encoding", ["windows-1256", "iso-8859-6"])
@pytest.mark.parametrize("text", LEGACY_TEXTS)
def test_legacy_arabic_encodings_are_told_apart(tmp_path, text, encoding):
    (tmp_path / "old.txt").write_bytes(text.encode(encoding))

    article = only_article(tmp_path)

    assert f"{article.title}\n{article.body}".strip() == text
    assert article.encoding == encoding


def test_html_declared_charset_settles_what_the_detector_cannot(tmp_path):
    # Two words: both decodings are plausible Arabic, and without the <meta charset> the page
    # is read as Windows-1256 ("انسبت إو"); charset-normalizer honours the declaration.
    (tmp_path / "short.html").write_bytes('<meta charset="iso-8859-6"><p>السبت إن</p>'.encode("iso-8859-6"))
    # A wrong declaration (ك does not exist in ISO-8859-6) is overruled by the bytes.
    (tmp_path / "wrong.html").write_bytes(
        f'<meta charset="iso-8859-6"><title>كوريا</title><p>{PLAIN_BODY}</p>'.encode("cp1256"))

    by_id = {a.id: a for a in articles(read(tmp_path))}

    assert (by_id["short"].body, by_id["short"].encoding) == ("السبت إن", "iso-8859-6")
    assert (by_id["wrong"].title, by_id["wrong"].body, by_id["wrong"].encoding) == ("كوريا", PLAIN_BODY, "windows-1256")


def test_legacy_encodings_in_streamed_collections(tmp_path):
    write_jsonl(tmp_path / "old.jsonl", [{"id": "w", "title": TITLE, "text": PLAIN_BODY}], encoding="cp1256")
    (tmp_path / "old.csv").write_bytes(f"id,title,text\ni,{TITLE},{PLAIN_BODY}\n".encode("iso-8859-6"))

    by_id = {a.id: a for a in articles(read(tmp_path))}

    assert (by_id["w"].body, by_id["w"].encoding) == (PLAIN_BODY, "windows-1256")
    assert (by_id["i"].body, by_id["i"].encoding) == (PLAIN_BODY, "iso-8859-6")


def test_utf16_collections(tmp_path):
    write_jsonl(tmp_path / "wide.jsonl", [{"id": "u", "title": TITLE, "text": BODY}], encoding="utf-16")
    (tmp_path / "wide.csv").write_bytes(f"id,title,text\nv,{TITLE},نص\n".encode("utf-16"))

    assert {(a.id, a.title, a.encoding) for a in articles(read(tmp_path))} == {("u", TITLE, "utf-16"), ("v", TITLE, "utf-16")}


# --- bad input --------------------------------------------------------------------------


def test_bad_files_are_skipped_by_name_and_reason_and_the_rest_is_read(tmp_path):
    (tmp_path / "good.txt").write_text(f"{TITLE}\n{BODY}", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (tmp_path / "controls.md").write_bytes(bytes(range(1, 32)) * 20)
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "blank.txt").write_text(" \n\t\n", encoding="utf-8")
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "header.txt").write_bytes(b"\x7fELF\x00\x01")  # NULs on one side only, like UTF-16
    (tmp_path / "archive.csv").write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" * 100)
    good_bytes = len(f"{TITLE}\n{BODY}".encode())
    (tmp_path / "broken.txt").write_bytes(f"{TITLE}\n{BODY}".encode() + b"\xff\xfe" + "تتمة".encode())

    items = read(tmp_path)

    assert [a.id for a in articles(items)] == ["good"]
    assert skips(items) == {
        str(tmp_path / "binary.txt"): "binary file",
        str(tmp_path / "controls.md"): "binary file",
        str(tmp_path / "empty.html"): "empty file",
        str(tmp_path / "blank.txt"): "empty file",
        str(tmp_path / "empty.jsonl"): "empty file",
        str(tmp_path / "archive.csv"): "binary file",
        str(tmp_path / "header.txt"): "binary file",
        str(tmp_path / "broken.txt"): f"not valid UTF-8: 2 broken bytes, first at byte {good_bytes} "
        "(the rest is UTF-8; not indexed rather than guessed)",
    }


def test_broken_bytes_in_one_collection_record_skip_that_record_only(tmp_path):
    path = tmp_path / "feed.jsonl"
    good = json.dumps({"id": "ok", "title": TITLE, "text": BODY}, ensure_ascii=False).encode()
    broken = json.dumps({"id": "bad", "title": "خبر"}, ensure_ascii=False).encode().replace("خبر".encode(), b"\xd8\xae\xd8")
    path.write_bytes(good + b"\n" + broken + b"\n" + good.replace(b'"ok"', b'"ok2"') + b"\n")

    items = read(tmp_path)

    assert [a.id for a in articles(items)] == ["ok", "ok2"]
    assert skips(items) == {f"{path}:2": "broken bytes (not valid utf-8): line not indexed"}


def test_a_file_that_cannot_be_opened_is_skipped_and_the_rest_read(tmp_path, monkeypatch):
    locked = tmp_path / "locked.txt"
    locked.write_text(f"{TITLE}\n{BODY}", encoding="utf-8")
    locked_feed = tmp_path / "locked.jsonl"
    write_jsonl(locked_feed, [{"id": "x", "text": BODY}])
    (tmp_path / "open.txt").write_text(f"{TITLE}\n{BODY}", encoding="utf-8")
    os.chmod(locked, 0)
    os.chmod(locked_feed, 0)
    if os.geteuid() == 0:
        # root reads anything: make opening these two fail as it does for other users.
        real_open = pathlib.Path.open

        def refuse(self, *args, **kwargs):
            if self in (locked, locked_feed):
                raise PermissionError(13, "Permission denied", str(self))
            return real_open(self, *args, **kwargs)

        monkeypatch.setattr(pathlib.Path, "open", refuse)

    items = read(tmp_path)

    assert [a.id for a in articles(items)] == ["open"]
    assert skips(items) == {str(locked): "cannot read: Permission denied", str(locked_feed): "cannot read: Permission denied"}


def test_an_unlistable_subfolder_is_reported(tmp_path, monkeypatch):
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "a.txt").write_text(f"{TITLE}\n{BODY}", encoding="utf-8")
    (tmp_path / "b.txt").write_text(f"{TITLE}\n{BODY}", encoding="utf-8")
    real_scandir = os.scandir

    def refuse(path="."):
        if pathlib.Path(path) == tmp_path / "private":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)

    items = read(tmp_path)

    assert [a.id for a in articles(items)] == ["b"]
    assert skips(items) == {str(tmp_path / "private"): "cannot read folder: Permission denied"}


def test_a_file_given_by_name_in_an_unknown_format_is_skipped(tmp_path):
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.7")
    assert skips(read(tmp_path / "report.pdf")) == {str(tmp_path / "report.pdf"): "unsupported file type .pdf"}


def test_single_article_files_over_the_limit_are_skipped_with_the_reason(tmp_path):
    line = (BODY + "\n").encode()
    for name in ("huge.txt", "huge.json"):
        with open(tmp_path / name, "wb") as file:
            file.write(line * (MAX_DOCUMENT_BYTES // len(line) + 1))
    (tmp_path / "small.txt").write_text(f"{TITLE}\n{BODY}", encoding="utf-8")

    items = read(tmp_path)

    assert [a.id for a in articles(items)] == ["small"]
    assert skips(items) == {
        str(tmp_path / "huge.txt"): "larger than the 20 MB limit for one article",
        str(tmp_path / "huge.json"): "larger than the 20 MB limit for one article; "
        "save the records as .jsonl (or .jsonl.gz), which is read as a stream",
    }


HUNDRED_MB = 100 * 2**20


def test_100_mb_collections_are_streamed_in_bounded_memory(tmp_path):
    # Each record carries 100 KB of extra data; the whole file is 100 MB.
    padding = "ب" * 50_000
    jsonl = tmp_path / "big.jsonl"
    record_bytes = 0
    with open(jsonl, "w", encoding="utf-8") as file:
        number = 0
        while record_bytes < HUNDRED_MB:
            line = json.dumps({"id": f"r{number}", "title": f"خبر رقم {number}", "text": PLAIN_BODY, "raw": padding},
                              ensure_ascii=False) + "\n"
            file.write(line)
            record_bytes += len(line.encode())
            number += 1
    assert jsonl.stat().st_size >= HUNDRED_MB

    count, peak = read_counting_peak_memory(jsonl)

    assert count == number
    assert peak < 10 * 2**20  # a few records at a time, not the 100 MB file


def test_a_large_csv_is_streamed_not_skipped(tmp_path):
    path = tmp_path / "big.csv"
    padding = "ت" * 100_000
    with open(path, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(["id", "title", "text", "raw"])
        rows = MAX_DOCUMENT_BYTES // len(padding.encode()) + 10
        for number in range(rows):
            writer.writerow([f"r{number}", f"خبر رقم {number}", PLAIN_BODY, padding])
    assert path.stat().st_size > MAX_DOCUMENT_BYTES

    items = read(path)

    assert len(articles(items)) == rows and not skips(items)
    assert articles(items)[-1].title == f"خبر رقم {rows - 1}"


# --- gzip-compressed files -------------------------------------------------------------

# A record as the ANT corpus writes it (../shared/news/ant-2018.jsonl.gz).
ANT_RECORD = {
    "id": "BB-internationalNews-64-20180226", "title": TITLE, "text": BODY, "source": "بي بي سي عربي",
    "url": "http://www.bbc.co.uk/arabic/world-43193332", "published": "Mon, 26 Feb 2018 02:20:10 GMT",
    "category": "internationalNews", "author": "", "abstract": "ملخص الخبر: لقاء في وونسان",
}


def jsonl_bytes(records):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode()


def csv_bytes(records):
    lines = io.StringIO()
    writer = csv.DictWriter(lines, fieldnames=list(records[0]))
    writer.writeheader()
    writer.writerows(records)
    return lines.getvalue().encode()


def write_gzip(path, data):
    path.write_bytes(gzip.compress(data))
    return path


def test_compressed_collections_read_like_uncompressed_ones(tmp_path):
    records = [{"id": f"n{n}", "title": f"{TITLE} {n}", "text": BODY} for n in range(3)]
    plain, packed = tmp_path / "plain", tmp_path / "packed"
    plain.mkdir(), packed.mkdir()
    for name, data in [("feed.jsonl", jsonl_bytes(records)), ("sheet.csv", csv_bytes(records)),
                       ("dump.json", json.dumps(records, ensure_ascii=False).encode())]:
        (plain / name).write_bytes(data)
        write_gzip(packed / f"{name}.gz", data)

    def seen(folder):
        return [(a.id, a.title, a.body, a.path.replace(".gz:", ":").removeprefix(str(folder))) for a in read(folder)]

    assert len(seen(packed)) == 9
    assert seen(packed) == seen(plain)
    assert articles(read(packed))[0].path == f"{packed / 'dump.json.gz'}:1"


def test_an_ant_record_keeps_its_date_and_extra_fields_aside_and_the_abstract_is_not_body(tmp_path):
    article = only_article(write_gzip(tmp_path / "ant-2018.jsonl.gz", jsonl_bytes([ANT_RECORD])))

    assert (article.id, article.title, article.body, article.source) == (ANT_RECORD["id"], TITLE, BODY, "بي بي سي عربي")
    assert article.published == datetime(2018, 2, 26, 2, 20, 10)
    assert article.meta == {"category": "internationalNews", "author": "", "abstract": ANT_RECORD["abstract"]}
    assert article.path == f"{tmp_path / 'ant-2018.jsonl.gz'}:1"


def test_compressed_files_without_ids_are_named_without_either_suffix(tmp_path):
    (tmp_path / "2025").mkdir()
    write_gzip(tmp_path / "2025" / "feed.jsonl.gz", jsonl_bytes([{"title": TITLE, "text": BODY}]))
    write_gzip(tmp_path / "wonsan.txt.gz", f"{TITLE}\n{BODY}".encode())
    write_gzip(tmp_path / "page.html.gz", PAGE.encode())

    assert sorted(a.id for a in read(tmp_path)) == ["2025/feed:1", "page", "wonsan"]
    assert only_article(tmp_path / "wonsan.txt.gz").id == "wonsan"


def test_broken_bytes_in_one_compressed_record_skip_that_record_only(tmp_path):
    good = json.dumps({"id": "ok", "title": TITLE, "text": BODY}, ensure_ascii=False).encode()
    broken = good.replace(b'"ok"', b'"bad"').replace("وونسان".encode(), b"\xd9\x88\xd9")
    path = write_gzip(tmp_path / "feed.jsonl.gz", good + b"\n" + broken + b"\n" + good.replace(b'"ok"', b'"ok2"'))

    items = read(path)

    assert [a.id for a in articles(items)] == ["ok", "ok2"]
    assert skips(items) == {f"{path}:2": "broken bytes (not valid utf-8): line not indexed"}


def varied_records(count):
    """Records of different words, so gzip cannot shrink them to nothing."""
    words = BODY.split() + PLAIN_BODY.split()
    pick = random.Random(7)
    return [{"id": f"r{n}", "title": " ".join(pick.choices(words, k=6)), "text": " ".join(pick.choices(words, k=150))}
            for n in range(count)]


def test_a_collection_cut_in_the_middle_keeps_the_records_before_the_cut_compressed_or_not(tmp_path):
    records = varied_records(200)
    data = jsonl_bytes(records)
    packed_data = gzip.compress(data)
    plain = tmp_path / "plain.jsonl"
    plain.write_bytes(data[: len(data) // 2])
    packed = tmp_path / "packed.jsonl.gz"
    packed.write_bytes(packed_data[: len(packed_data) // 2])

    reasons = {}
    for path in (plain, packed):
        items = read(path)
        kept = [(a.id, a.title, a.body) for a in articles(items)]
        assert 50 < len(kept) < 150
        assert kept == [(r["id"], r["title"], r["text"]) for r in records[: len(kept)]]
        [reasons[path]] = skips(items).items()
    # The uncompressed file ends in half a record; the gzip reader stops at the cut.
    assert reasons[plain][0].startswith(f"{plain}:") and reasons[plain][1].startswith("invalid JSON")
    assert reasons[packed] == (str(packed), "gzip data cut short (the file ends before its compressed data does)")


def test_damaged_gzip_data_is_reported_after_the_records_read(tmp_path):
    # Over the 64 KB judged for the encoding, so the checksum is met after the records.
    records = varied_records(100)
    data = bytearray(gzip.compress(jsonl_bytes(records)))
    data[-8] ^= 0xFF  # the checksum of the uncompressed data, in the last 8 bytes
    path = tmp_path / "feed.jsonl.gz"
    path.write_bytes(bytes(data))

    items = read(path)

    assert [a.id for a in articles(items)] == [r["id"] for r in records]
    [(where, reason)] = skips(items).items()
    assert where == str(path) and reason.startswith("damaged gzip data (CRC check failed")


def test_damaged_single_documents_and_json_collections_are_skipped_whole(tmp_path):
    for name, data in [("article.txt.gz", f"{TITLE}\n{BODY}".encode()),
                       ("dump.json.gz", json.dumps(varied_records(50), ensure_ascii=False).encode())]:
        packed = gzip.compress(data)
        (tmp_path / name).write_bytes(packed[: len(packed) // 2])

    assert skips(read(tmp_path)) == {
        str(tmp_path / "article.txt.gz"): "gzip data cut short (the file ends before its compressed data does)",
        str(tmp_path / "dump.json.gz"): "gzip data cut short (the file ends before its compressed data does)",
    }


def test_gz_files_that_are_not_gzip_or_not_a_format_say_why(tmp_path):
    write_jsonl(tmp_path / "renamed.jsonl.gz", [{"id": "x", "title": TITLE, "text": BODY}])
    (tmp_path / "empty.jsonl.gz").write_bytes(b"")
    write_gzip(tmp_path / "articles.tar.gz", b"ustar")
    write_gzip(tmp_path / "server.log.gz", b"GET / 200")
    write_gzip(tmp_path / "feed.gz", jsonl_bytes([{"title": TITLE, "text": BODY}]))

    assert skips(read(*sorted(tmp_path.iterdir()))) == {
        str(tmp_path / "renamed.jsonl.gz"): "not gzip-compressed, though its name ends in .gz",
        str(tmp_path / "empty.jsonl.gz"): "empty file",
        str(tmp_path / "articles.tar.gz"): "a tar archive (.tar.gz): unpack it and give the folder",
        str(tmp_path / "server.log.gz"): "unsupported file type .log.gz",
        str(tmp_path / "feed.gz"): "compressed, but the name does not say the format inside (name it like feed.jsonl.gz)",
    }
    # In a folder, like any file of another type, they are not articles: not read, not reported.
    assert [path.name for path in find_files([tmp_path])] == ["empty.jsonl.gz", "renamed.jsonl.gz"]


def test_a_large_compressed_collection_is_streamed_in_bounded_memory(tmp_path):
    # 50 MB of records, decompressed as they are read: never the whole text in memory.
    padding = "ب" * 50_000
    path = tmp_path / "big.jsonl.gz"
    written = 0
    with gzip.open(path, "wb", compresslevel=1) as file:
        number = 0
        while written < HUNDRED_MB // 2:
            line = (json.dumps({"id": f"r{number}", "title": f"خبر رقم {number}", "text": PLAIN_BODY, "raw": padding},
                               ensure_ascii=False) + "\n").encode()
            file.write(line)
            written += len(line)
            number += 1

    count, peak = read_counting_peak_memory(path)

    assert count == number
    assert peak < 10 * 2**20  # a few records at a time, not the 50 MB of text


# --- end to end -------------------------------------------------------------------------


def test_a_folder_mixing_every_format_builds_an_index_where_each_article_is_found(tmp_path):
    folder = tmp_path / "collection"
    (folder / "html").mkdir(parents=True)
    (folder / "txt.txt").write_text("قمح مصر\nارتفعت واردات القمح المصرية هذا العام.", encoding="utf-8")
    (folder / "legacy.txt").write_bytes("زيتون فلسطين\nبدأ موسم قطف الزيتون في الضفة.".encode("cp1256"))
    (folder / "iso.txt").write_bytes("تمور العراق\nصدّرت البصرة التمور إلى الخليج.".encode("iso-8859-6"))
    (folder / "wide.txt").write_bytes("قهوة اليمن\nعادت القهوة اليمنية إلى الأسواق.".encode("utf-16"))
    (folder / "md.md").write_text("# [مهرجان](https://x.example) جرش\nافتتح مهرجان جرش للثقافة والفنون.", encoding="utf-8")
    (folder / "html" / "page.html").write_text(PAGE, encoding="utf-8")
    write_jsonl(folder / "feed.jsonl", [{"id": "j1", "title": "معرض الكتاب", "text": "افتُتح معرض القاهرة الدولي للكتاب.",
                                         "source": "الأهرام", "published": "٢٥ يناير ٢٠٢٥"}])
    (folder / "dump.json").write_text(json.dumps({"articles": [{"id": "js1", "title": "سد النهضة",
                                                                "text": "جولة مفاوضات جديدة حول سد النهضة."}]},
                                                 ensure_ascii=False), encoding="utf-8")
    (folder / "sheet.csv").write_text("id,title,text\nc1,طيران الإمارات,أعلنت طيران الإمارات عن وجهات جديدة.\n",
                                      encoding="utf-8")
    bad = {
        folder / "binary.txt": b"\x7fELF\x00\x01\x02\x00" * 64,
        folder / "empty.md": b"",
        folder / "broken.html": "<p>نص</p>".encode() + b"\xff\xfe\xd8",
        folder / "bad.json": b"{",
    }
    for path, data in bad.items():
        path.write_bytes(data)
    write_jsonl(folder / "mixed.jsonl", [{"id": "m1", "title": "البتراء", "text": "زوار البتراء في ازدياد."}])
    with open(folder / "mixed.jsonl", "a", encoding="utf-8") as file:
        file.write("{not json}\n")

    report = build_index([folder], tmp_path / "index")

    assert report.documents == 10
    assert {skip.path for skip in report.skipped} == {str(path) for path in bad} | {f"{folder / 'mixed.jsonl'}:2"}
    index = SearchIndex(tmp_path / "index")
    expected = {
        "القمح": "txt", "الزيتون": "legacy", "التمور": "iso", "القهوة": "wide", "جرش": "md",
        "وونسان": "html/page", "الكتاب": "j1", "النهضة": "js1", "الإمارات": "c1", "البتراء": "m1",
    }
    for query, doc_id in expected.items():
        assert [hit.id for hit in index.search(query).hits] == [doc_id], query
    book = index.search("الكتاب").hits[0]
    assert (book.source, book.published) == ("الأهرام", "2025-01-25")
