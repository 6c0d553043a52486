"""The command line: ``python -m indexer`` (installed as ``arabic-search`` too)
``build|update|check|search|stats|analyze|eval|serve``.

Each command parses its options, calls the library (the functions the web UI calls
too), prints for a person or, with ``--json``, for a script, and exits with a code that
says what happened. Errors are one ``error: ...`` line on stderr, never a traceback.
"""

import html
import itertools
import json
import logging
import sys
import unicodedata
from contextlib import closing
from pathlib import Path

import click
from click.core import ParameterSource

from indexer import (
    EmptyBuild,
    IndexDamaged,
    IndexLocked,
    IndexMissing,
    QueryError,
    SearchIndex,
    SourceError,
    build_index,
)
from indexer.indexing.checking import check_index, damage_behind
from indexer.indexing.space import DiskFull
from indexer.analysis import PROFILES
from indexer.analysis.explain import explain
from indexer.engine import DEFAULT_ENGINE, ENGINES
from indexer.evaluation import (
    DEFAULT_SETS_DIRS,
    FOLDS,
    MEASURES,
    EvalSet,
    collect,
    cross_validate,
    evaluate,
    find_sets,
    learn_all,
    read_queries,
    read_reference,
    score_run,
    spread,
)
from indexer.indexing.building import default_procs
from indexer.indexing.progress import Progress, Silent
from indexer.indexing.schema import Analysis
from indexer.indexing.store import current_generation
from indexer.indexing.updating import update_index
from indexer.search import export
from indexer.search.rerank import Ranking
from indexer.search.searching import MAX_PAGE_SIZE
from indexer.sources import FieldNames

# Exit codes; click itself exits with USAGE for a wrong option or argument.
OK, FAILED, USAGE, PARTIAL, DISK_FULL = 0, 1, 2, 3, 4

DEFAULT_SOURCES = Path("seeds")
DEFAULT_INDEX = Path("index")
DEFAULT_PAGE_SIZE = 10
DEFAULT_RUN_DEPTH = 100
# Options of ``search`` that only make sense in one of its two modes.
SINGLE_QUERY_ONLY = (("--json", "as_json"), ("--page", "page"), ("--format", "fmt"), ("--all", "every"))
# Options that choose which hits or how they are printed, which --all or --format replace.
PAGE_ONLY = (("--page", "page"), ("--limit", "limit"))
BATCH_ONLY = (("--run", "run_path"), ("--tag", "tag"))

index_option = click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_INDEX,
    show_default=True,
    help="Index folder.",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of text.")


def _one_word(ctx, param, tag):
    """Checks ``--tag``: readers split run file lines on whitespace."""
    if not tag or any(ch.isspace() for ch in tag):
        raise click.BadParameter("must be one word: it is a column of the run file")
    return tag


@click.group()
def cli():
    """Arabic full-text search: build an index of articles, search it, inspect it.

    Every command has --help; --json gives machine-readable output. Errors are one
    line on stderr starting with "error:".
    """


def _field_names(ctx, param, options):
    """``--field NAME=COLUMN`` options as ``FieldNames`` (a usage error when malformed)."""
    try:
        return FieldNames.from_options(options)
    except ValueError as e:
        raise click.BadParameter(str(e)) from None


def indexing_options(command):
    """The options ``build`` and ``update`` share."""
    options = [
        click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
        index_option,
        click.option("--procs", type=click.IntRange(min=1), default=default_procs, show_default="CPUs available",
                     help="Processes reading and analyzing articles."),
        click.option("--field", "fields", multiple=True, metavar="NAME=COLUMN", callback=_field_names,
                     help="Read field NAME (id, title, text, source, url, published) of .jsonl/.csv/.json "
                     "records from COLUMN (repeatable; text=a,b tries a then b)."),
        json_option,
        click.option("--quiet", "-q", is_flag=True, help="No progress on stderr."),
        click.option("--progress-seconds", type=click.FloatRange(min=0), default=10.0, show_default=True,
                     help="When stderr is not a terminal, a progress line at most this often."),
        click.option("--verbose", "-v", is_flag=True,
                     help="Also list each file's detected encoding (and, for update, the ids changed)."),
        click.option("--engine", "engine_name", type=click.Choice(list(ENGINES)), default=DEFAULT_ENGINE,
                     show_default=True,
                     help="Engine holding the index: whoosh (pure Python) or tantivy (compiled, for large "
                     "collections). update keeps the engine of the index it updates."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _progress(quiet, seconds):
    return Silent() if quiet else Progress(interval=seconds)


def _run_indexing(run, index_dir, reads_live=False):
    """Runs a build or update, turning its failures into one ``error:`` line and exit 1
    (4 for a full disk). ``reads_live``: an update, which fails on a damaged live index."""
    try:
        return run()
    except EmptyBuild as e:
        # No JSON report exists on this path, so the reasons go to stderr either way.
        _warn_skipped(e.skipped)
        _fail(str(e))
    except (SourceError, IndexLocked, IndexDamaged) as e:
        _fail(str(e))
    except DiskFull as e:
        _fail(str(e), DISK_FULL)
    except OSError as e:
        _fail(f"{e.filename or index_dir}: {e.strerror or e}")
    except Exception as e:
        if reads_live:
            _fail_if_damaged(index_dir, e)
        raise


@cli.command()
@indexing_options
def build(paths, index_dir, procs, fields, as_json, quiet, progress_seconds, verbose, engine_name):
    """Index the articles under PATHS (default: seeds/) into a new index.

    PATHS are articles (.txt, .md, .html), collections (.jsonl, .csv, .json) or
    folders of them, read recursively. The new index replaces the one at --index only
    once it is complete, so searches never see a half-built index. Files that cannot
    be read are skipped and each is named in a "warning:" line on stderr (in
    "skipped" with --json). A build counts the collection's vocabulary afresh (the
    stemmer's evidence); see update for adding articles to an index.

    \b
    Exit codes:
      0  every file was indexed
      3  the index was built, but some files were skipped
      1  error, nothing changed: a path does not exist, no article could be
         indexed, another build is writing the index, or the new index failed
         its check
      2  wrong usage
      4  not enough disk space, nothing changed (the error says how much is needed)
    """
    paths = list(paths) or [DEFAULT_SOURCES]
    progress = _progress(quiet, progress_seconds)
    report = _run_indexing(
        lambda: build_index(paths, index_dir, procs=procs, fields=fields, progress=progress, engine_name=engine_name),
        index_dir,
    )
    if as_json:
        _print_json(report.to_dict(verbose=verbose))
    else:
        _warn_skipped(report.skipped)
        sources = ", ".join(map(str, paths))
        documents = _plural(report.documents, "document")
        click.echo(f"indexed {documents} from {sources} into {index_dir} in {report.seconds:.2f} s")
        if report.skipped:
            click.echo(f"skipped {_plural(len(report.skipped), 'file')} (see warnings)")
        if verbose:
            with closing(SearchIndex(index_dir)) as index:
                stats = index.stats()
            generation = index_dir / stats["generation"]
            click.echo(f"{generation}: {stats['terms']} terms, {_size(stats['size_bytes'])}")
            _print_encodings(report.encodings)
    raise click.exceptions.Exit(PARTIAL if report.skipped else OK)


@cli.command()
@indexing_options
def update(paths, index_dir, procs, fields, as_json, quiet, progress_seconds, verbose, engine_name):
    """Bring the index in line with the articles under PATHS (default: seeds/):
    add new articles, re-index changed ones, remove those whose file under PATHS is
    gone. Articles indexed from other folders are left alone. With no index yet,
    builds one.

    Nothing is modified in place: the changes are applied to a copy of the index,
    which replaces it once complete. When nothing changed, no new index is written
    and the output says so. An update keeps the stemmer's vocabulary of the last
    build; run build now and then to count it afresh for the articles added since.

    \b
    Exit codes: as build (0 updated or up to date, 3 some files skipped,
    1 error with the index untouched, 2 wrong usage, 4 not enough disk space).
    """
    paths = list(paths) or [DEFAULT_SOURCES]
    progress = _progress(quiet, progress_seconds)
    report = _run_indexing(
        lambda: update_index(paths, index_dir, procs=procs, fields=fields, progress=progress,
                             engine_name=engine_name),
        index_dir,
        reads_live=True,
    )
    if as_json:
        _print_json(report.to_dict(verbose=verbose))
    else:
        _warn_skipped(report.skipped)
        if report.built:
            click.echo(f"no index at {index_dir} yet: built one with {_plural(len(report.added), 'document')}")
        elif report.up_to_date:
            click.echo(f"nothing to do: {index_dir} is up to date ({report.unchanged} unchanged)")
        else:
            click.echo(f"updated {index_dir} in {report.seconds:.2f} s: {len(report.added)} added, "
                       f"{len(report.changed)} changed, {len(report.removed)} removed, {report.unchanged} unchanged")
        if report.skipped:
            click.echo(f"skipped {_plural(len(report.skipped), 'file')} (see warnings)")
        if verbose:
            for kind in ("added", "changed", "removed"):
                for doc_id in getattr(report, kind):
                    click.echo(f"{kind} {doc_id}")
            _print_encodings(report.encodings)
    raise click.exceptions.Exit(PARTIAL if report.skipped else OK)


@cli.command()
@index_option
@json_option
def check(index_dir, as_json):
    """Check that the live index can be read whole: every stored document is readable,
    it holds as many documents as its build information says, and the search engine
    reads every term of its fields. For scripted rebuild pipelines: when it fails, run
    build. (build and update run the same check on a new index before making it live.)

    \b
    Exit codes:
      0  the index is whole
      1  there is no index, or it is damaged: one "error:" line says what is wrong
    """
    report = check_index(index_dir)
    if as_json:
        _print_json(report.to_dict())
    elif report.ok:
        click.echo(f"{index_dir}: ok, {_plural(report.documents, 'document')} in {report.generation}")
    if not report.ok:
        if not as_json:
            click.echo(f"error: {'; '.join(report.problems)}", err=True)
        raise click.exceptions.Exit(FAILED)


def _print_encodings(encodings):
    for path, encoding in encodings.items():
        click.echo(f"read {path} ({encoding})")


@cli.command()
@click.argument("query", required=False)
@index_option
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    help=f"Hits per page (default {DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE}); "
    f"with --queries, documents per query (default {DEFAULT_RUN_DEPTH}).",
)
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True, help="Page of hits.")
@json_option
@click.option("--format", "fmt", type=click.Choice(export.FORMATS),
              help="Print the hits as CSV (UTF-8 with a byte order mark, for spreadsheets) or JSON Lines: "
              "id, title, outlet, date, url, score.")
@click.option("--all", "every", is_flag=True,
              help=f"With --format: every matching article, not one page (at most {export.MAX_ROWS:,}).")
@click.option(
    "--queries",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Batch mode: a file of queries, one 'qid<TAB>text' a line (needs --run).",
)
@click.option(
    "--run",
    "run_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Batch mode: the TREC run file to write.",
)
@click.option(
    "--tag",
    default="indexer",
    show_default=True,
    callback=_one_word,
    help="Batch mode: run name, the run file's last column.",
)
@click.pass_context
def search(ctx, query, index_dir, limit, page, as_json, fmt, every, queries, run_path, tag):
    """Search the index for QUERY and print the ranked hits: id, title, score and a
    snippet with the matched words marked.

    All words of QUERY are required; when no article has them all, articles with any
    of them are shown, and the output says so ("mode": "any" with --json).

    --format csv|jsonl prints the hits as rows to keep (id, title, outlet, date, url,
    score); with --all, every matching article, best first, each report of a story on
    its own row, up to the first 10,000.

    Batch mode (--queries FILE --run OUT) runs every query of FILE, all words
    optional, and writes a TREC run file for trec_eval or ir-measures, one line per
    retrieved document: "qid Q0 docid rank score tag".

    \b
    Exit codes:
      0  the search ran (even with no hits)
      1  there is no index at --index, or --all stopped at a page over the
         time budget (the rows before it are printed)
      2  wrong usage, or a query (or queries file) that cannot be run
    """
    _check_search_usage(ctx, query, queries, run_path, limit)
    _check_export_usage(ctx, as_json, fmt, every)
    with closing(_open_index(index_dir)) as index:
        if queries is not None:
            _run_batch(index, queries, run_path, limit or DEFAULT_RUN_DEPTH, tag)
            return
        if every:
            _export_all(index, query, fmt)
            return
        try:
            # Rows to keep are reports, each on its own row, as with --all.
            result = index.search(query, page=page, page_size=limit or DEFAULT_PAGE_SIZE,
                                  with_snippets=not fmt, group_duplicates=not fmt)
        except QueryError as e:
            _fail(str(e), USAGE)
        except Exception as e:
            _fail_if_damaged(index_dir, e)
            raise
    if as_json:
        _print_json(result.to_dict())
    elif fmt:
        _write_lines(export.lines(export.rows([result]), fmt))
    else:
        _print_result(result, bold=sys.stdout.isatty())


def _export_all(index, query, fmt):
    """Prints every article matching ``query`` in ``fmt``; a query that cannot be run is a
    usage error, a later page over the time budget ends the output with exit 1."""
    pages = export.pages(index.search, query)
    try:
        first = next(pages)
    except QueryError as e:
        _fail(str(e), USAGE)
    printed = 0

    def counted(articles):
        nonlocal printed
        for article in articles:
            printed += 1
            yield article

    try:
        _write_lines(export.lines(counted(export.rows(itertools.chain([first], pages))), fmt))
    except QueryError as e:
        _fail(f"stopped after {_plural(printed, 'article')}: {e}")


def _write_lines(lines):
    """UTF-8 whatever the terminal's locale: the output is for files and other programs."""
    for line in lines:
        click.echo(line.encode("utf-8"), nl=False)


@cli.command()
@index_option
@json_option
def stats(index_dir, as_json):
    """Show the index's size: documents, distinct terms, bytes on disk, and when and
    how fast it was built. Exits 1 when there is no index at --index."""
    with closing(_open_index(index_dir)) as index:
        try:
            numbers = index.stats()
        except Exception as e:
            _fail_if_damaged(index_dir, e)
            raise
    if as_json:
        _print_json(numbers)
        return
    rows = [
        ("documents", numbers["documents"]),
        ("terms", numbers["terms"]),
        ("segments", numbers["segments"]),
        ("size", _size(numbers["size_bytes"])),
        ("built", f"{numbers['built_at']} in {numbers['build_seconds']} s"),
        ("generation", index_dir / numbers["generation"]),
    ]
    for name, value in rows:
        click.echo(f"{name:<11} {value}")


@cli.command()
@click.argument("text")
@index_option
@json_option
def analyze(text, index_dir, as_json):
    """Show how TEXT is analyzed: a table with one row per token, its offsets in TEXT,
    and its text after every step of the chain the index and queries both use. The
    last column is the term that is indexed or searched; "(stop)" marks the step that
    dropped a stop word. The stemmer uses the collection vocabulary of the index at
    --index, as that index does; with no index there, its plain rules (said on stderr).

    With --json: {"tokens": [{"start", "end", "original", "steps": {step: text or
    null}, "term"}]}.
    """
    try:
        vocabulary = Analysis.load(current_generation(index_dir)).vocabulary
    except IndexMissing:
        vocabulary = None
        click.echo(f"note: no index at {index_dir}; the stemmer's rules without a collection's vocabulary", err=True)
    tokens = explain(text, vocabulary)
    if as_json:
        _print_json({"tokens": tokens})
    elif not tokens:
        click.echo("no tokens")
    else:
        _print_table(tokens)


@cli.command("eval")
@click.option("--set", "set_names", multiple=True, help="Evaluate this set of --sets-dir (repeatable; default: all).")
@click.option("--sets-dir", "sets_dirs", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              default=list(DEFAULT_SETS_DIRS), show_default=True,
              help="Folder of evaluation sets (corpus.jsonl, queries.tsv, qrels.tsv each; repeatable).")
@click.option("--corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="A collection (.jsonl).")
@click.option("--queries", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Its queries (qid<TAB>text).")
@click.option("--qrels", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Its judgments (qid<TAB>docid<TAB>grade).")
@click.option("--profile", "profiles", multiple=True, type=click.Choice(list(PROFILES)),
              help="Analysis profile to measure (repeatable; default: every profile, an ablation from "
              "Whoosh's default analyzer to ours, one step at a time).")
@click.option("--engine", "engine_names", multiple=True, type=click.Choice(list(ENGINES)),
              help=f"Engine holding the temporary indexes (repeatable; default: {DEFAULT_ENGINE}).")
@click.option("--folds", type=click.IntRange(2, 20), default=FOLDS, show_default=True,
              help="Folds of the cross-validation.")
@click.option("--learn", "learn_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also learn the re-ranking on every query measured (first engine, last profile) "
              "and write it here (the shipped one is indexer/search/ranking.json).")
@json_option
def evaluate_command(set_names, sets_dirs, corpus, queries, qrels, profiles, engine_names, folds, learn_path, as_json):
    """Measure search quality: build a temporary index of each evaluation set with each
    analysis profile, run its queries (all words optional, the engine's top 200 re-ranked,
    the first 100 kept) and print nDCG@10, MRR@10, R@100 and P@10 (computed by
    ir-measures, trec_eval definitions), beside the reference figures of the sets folder
    (its BASELINES.md, or a one-set folder's README.md table).

    Each profile gives three rows per set: the engine's order ("engine order"), re-ranked
    by the shipped ranking (learned on these very queries: flattering), and re-ranked by
    rankings learned on the other folds of all the sets measured ("N-fold CV": mean and
    spread over the folds, the figure to expect on questions not seen).

    \b
    Profiles, each adding one step to the one before:
      whoosh-default  Whoosh's StemmingAnalyzer (what Whoosh gives without Arabic work)
      tokenize        our tokenizer, lowercase only
      normalize       + Arabic normalization (diacritics, hamza, alef, yeh, teh marbuta...)
      stopwords       + Arabic stop words
      stemming        + light stemming (rules only)
      attested        + clitics and suffixes checked against the collection's vocabulary
      full            + exact surface-form fields, ranked above stem-only matches

    Exit codes: 0 measured; 1 no evaluation set found; 2 wrong usage.
    """
    given = [corpus, queries, qrels]
    if any(given) and not all(given):
        raise click.UsageError("--corpus, --queries and --qrels go together")
    if all(given):
        sets, rows = [EvalSet(corpus.stem, corpus, queries, qrels)], []
    else:
        found = [s for sets_dir in sets_dirs for s in find_sets(sets_dir)]
        sets = [s for s in found if not set_names or s.name in set_names]
        missing = set(set_names) - {s.name for s in sets}
        if missing or not sets:
            where = ", ".join(str(d) for d in sets_dirs)
            _fail(f"no evaluation set {', '.join(sorted(missing)) or ''} in {where}".replace("  ", " "))
        names = {s.name for s in sets}
        rows = [row for sets_dir in sets_dirs for row in read_reference(sets_dir) if row["set"] in names]
    engine_names = engine_names or (DEFAULT_ENGINE,)
    shipped, collections = Ranking.load(), []
    for engine_name in engine_names:
        for profile in profiles or PROFILES:
            # The engine is named when several are compared, so one engine's rows read as before.
            system = f"ours: {profile}" + (f" ({engine_name})" if len(engine_names) > 1 else "")
            try:
                if profile == "whoosh-default":
                    rows += [{"set": s.name, "system": system, **evaluate(s, profile, engine_name)} for s in sets]
                    continue
                collections = []
                for eval_set in sets:
                    collections.append(collect(eval_set, profile, engine_name))
                    if not as_json:
                        click.echo(f"measured {eval_set.name} / {profile} / {engine_name}", err=True)
            except (ValueError, OSError) as e:
                _fail(str(e))
            for c in collections:
                rows.append({"set": c.name, "system": f"{system}, engine order", **score_run(c.run(), c.qrels)})
                rows.append({"set": c.name, "system": system, **score_run(c.run(shipped), c.qrels)})
            for name, figures in cross_validate(collections, folds).items():
                rows.append({"set": name, "system": f"{system}, {folds}-fold CV", "spread": spread(figures),
                             **{m: mean for m, (mean, _) in spread(figures).items()}})
    if learn_path is not None and collections:
        ranking = learn_all(collections)
        ranking.save(learn_path, {"sets": [c.name for c in collections], "queries": sum(len(c.queries) for c in collections),
                                  "profile": profile, "engine": engine_names[-1]})
        click.echo(f"learned {ranking} -> {learn_path}", err=True)
    rows.sort(key=lambda row: row["set"])
    if as_json:
        _print_json({"measures": list(MEASURES), "rows": rows})
        return
    click.echo("| set | system | " + " | ".join(MEASURES) + " |")
    click.echo("| --- | --- | " + " | ".join("---:" for _ in MEASURES) + " |")
    for row in rows:
        cells = [f"{row['spread'][m][0]:.4f} ± {row['spread'][m][1]:.4f}" if "spread" in row else f"{row[m]:.4f}"
                 for m in MEASURES]
        click.echo(f"| {row['set']} | {row['system']} | " + " | ".join(cells) + " |")


@cli.command()
@index_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 serves other machines (put a TLS proxy in front).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--threads", type=click.IntRange(min=1), default=4, show_default=True,
              help="Requests served at once (searches themselves take turns on the index).")
def serve(index_dir, host, port, threads):
    """Serve the web UI and the JSON API over the index at --index with waitress.

    The server starts without an index (pages say none is built yet) and picks up
    a rebuilt or updated index without a restart. Stop it with Ctrl-C.
    """
    # Imported here: the other commands need neither Flask nor waitress.
    import waitress

    import webui

    # waitress says where it listens (and what goes wrong) at INFO, as waitress-serve shows it.
    logging.basicConfig(level=logging.INFO)
    waitress.serve(webui.create_app(index_dir=index_dir), host=host, port=port, threads=threads)


def _check_search_usage(ctx, query, queries, run_path, limit):
    """Raises a usage error (exit 2) unless exactly one of QUERY and --queries is given
    with only the options of that mode."""
    if query is not None and queries is not None:
        raise click.UsageError("give either QUERY or --queries FILE, not both")
    if query is None and queries is None:
        raise click.UsageError("missing QUERY (or --queries FILE)")
    batch = queries is not None
    for flag, name in SINGLE_QUERY_ONLY if batch else BATCH_ONLY:
        if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE:
            mode = "to a single QUERY" if batch else "with --queries FILE"
            raise click.UsageError(f"{flag} only applies {mode}")
    if batch and run_path is None:
        raise click.UsageError("--queries needs --run OUT")
    if not batch and limit is not None and limit > MAX_PAGE_SIZE:
        raise click.BadParameter(f"at most {MAX_PAGE_SIZE} hits a page", param_hint="--limit")


def _check_export_usage(ctx, as_json, fmt, every):
    if as_json and fmt:
        raise click.UsageError("give either --json or --format, not both")
    if every and not fmt:
        raise click.UsageError("--all needs --format csv or --format jsonl")
    if every:
        for flag, name in PAGE_ONLY:
            if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE:
                raise click.UsageError(f"{flag} does not apply with --all, which prints every page")


def _fail(message, code=FAILED):
    click.echo(f"error: {message}", err=True)
    raise click.exceptions.Exit(code)


def _warn_skipped(skipped):
    for skip in skipped:
        click.echo(f"warning: skipped {skip.path}: {skip.reason}", err=True)


def _open_index(index_dir):
    try:
        return SearchIndex(index_dir)
    except IndexMissing as e:
        _fail(str(e))
    except Exception as e:
        _fail_if_damaged(index_dir, e)
        raise


def _fail_if_damaged(index_dir, error):
    """One ``error:`` line and exit 1 when ``error`` came from a damaged index (a damaged
    file fails inside the engine with any kind of error); otherwise it is a bug and its
    traceback is shown."""
    damage = damage_behind(index_dir, error)
    if damage is not None:
        _fail(str(damage))


def _print_json(data):
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _plural(n, word, plural=None):
    return f"{n} {word if n == 1 else plural or word + 's'}"


def _size(n):
    for unit in ("bytes", "KiB", "MiB"):
        if n < 1024:
            break
        n /= 1024
    return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"


def _print_result(result, bold):
    if result.mode == "any":
        click.echo("No article has all the words: showing articles with any of them.")
    found = f"{_plural(result.total, 'result')} for «{result.query}» ({result.took_ms:.0f} ms)"
    click.echo(f"{found}, page {result.page} of {result.pages}")
    if result.total and not result.hits:
        click.echo(f"no hits on page {result.page}")
    first = (result.page - 1) * result.page_size + 1
    for n, hit in enumerate(result.hits, first):
        click.echo(f"\n{n:>3}. {hit.title or '(untitled)'}")
        click.echo(f"     {hit.id}  score {hit.score:.3f}")
        click.echo(f"     {_terminal_snippet(hit.snippet, bold)}")


def _terminal_snippet(snippet, bold):
    """The HTML snippet as terminal text: matches in bold on a terminal, in brackets
    elsewhere (pipes and files show escape codes as noise), entities decoded, on one line."""
    start, end = ("\x1b[1m", "\x1b[22m") if bold else ("[", "]")
    # Tags first: the snippet escapes the article's own text, so a "<mark>" written in
    # an article arrives as "&lt;mark&gt;" and is not taken for a match.
    text = snippet.replace("<mark>", start).replace("</mark>", end)
    # <bdi> isolates Latin runs for browsers; a terminal lays the text out itself.
    text = text.replace("<bdi>", "").replace("</bdi>", "")
    return " ".join(html.unescape(text).split())


def _run_batch(index, queries_path, run_path, depth, tag):
    lines = []
    queries = _read_queries(queries_path)
    for number, qid, text in queries:
        try:
            ranked = index.ranked_ids(text, depth)
        except QueryError as e:
            _fail(f"{queries_path}:{number}: {e}", USAGE)
        for rank, (doc_id, score) in enumerate(ranked, 1):
            if any(ch.isspace() for ch in doc_id):
                _fail(f"document id {doc_id!r} has a space, which a TREC run file cannot hold")
            # Full precision: trec_eval orders by score, not by the rank column, so a
            # rounded score could reorder documents.
            lines.append(f"{qid} Q0 {doc_id} {rank} {score!r} {tag}\n")
    run_path.write_text("".join(lines), encoding="utf-8")
    counts = f"{_plural(len(lines), 'line')} for {_plural(len(queries), 'query', 'queries')}"
    click.echo(f"wrote {counts} to {run_path}")


def _read_queries(path):
    try:
        return read_queries(path)
    except ValueError as e:
        _fail(str(e), USAGE)


def _print_table(tokens):
    step_names = list(tokens[0]["steps"])
    header = ["offsets", "original", *step_names]
    rows = [[f"{t['start']}-{t['end']}", t["original"], *_step_cells(t["steps"])] for t in tokens]
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        click.echo("  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(row, widths)).rstrip())


def _step_cells(history):
    """The token's text after each step; "(stop)" where a step dropped it, then blanks."""
    cells, before = [], ""
    for text in history.values():
        cells.append(text if text is not None else "(stop)" if before is not None else "")
        before = text
    return cells


def _width(text):
    """Terminal columns of ``text``: harakat and other combining marks and zero-width
    joiners take none, wide (CJK) characters two."""
    return sum(_char_width(ch) for ch in text)


def _char_width(ch):
    if unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1
