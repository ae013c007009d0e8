"""Every mart and every one of its columns is described (the dbt docs site and BI tools show these), and the prose
docs (README.md, DEVELOPERS.md, docs/*.md) name only paths, make targets, chipwatch commands and links that exist."""

import contextlib
import glob
import io
import json
import re
from pathlib import Path

import pytest

from pipelines.defs.dbt import prepared_project


def test_every_mart_and_column_has_a_description():
    manifest = json.loads(prepared_project().manifest_path.read_text())
    marts = [
        n for n in manifest["nodes"].values() if n["resource_type"] == "model" and n["config"].get("schema") == "marts"
    ]
    assert len(marts) >= 20
    missing = [n["name"] for n in marts if not n["description"].strip()]
    missing += [f"{n['name']}.{c}" for n in marts for c, col in n["columns"].items() if not col["description"].strip()]
    assert missing == []
    assert all(n["config"]["contract"]["enforced"] for n in marts)


COLUMN_KEYS = {
    "name",
    "description",
    "data_type",
    "data_tests",
    "tests",
    "constraints",
    "meta",
    "config",
    "quote",
    "tags",
    "include",
    "exclude",
}


def test_no_column_description_is_cut_at_a_comma():
    """In a flow-style mapping ({name: x, description: Memory, GB.}) an unquoted comma ends the description and the
    rest becomes a key of its own: the published comment lost its unit (issue 31 found 18). Any key a column entry
    does not know is such a tail."""
    import yaml

    cut = []
    for path in sorted((ROOT / "dbt_project").glob("**/*.yml")):
        if "target" in path.parts:
            continue

        def walk(node, path=path):
            if isinstance(node, dict):
                for column in node.get("columns") or [] if isinstance(node.get("columns"), list) else []:
                    extra = sorted(k for k in column if k not in COLUMN_KEYS) if isinstance(column, dict) else []
                    if extra:
                        cut.append(
                            f"{path.relative_to(ROOT)}: {column.get('name')}: {column.get('description')!r} + {extra}"
                        )
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(yaml.safe_load(path.read_text()))
    assert cut == [], "\n".join(cut)


@pytest.mark.integration  # builds the sample warehouse
def test_every_published_column_comment_is_its_yaml_description_in_full(sample_warehouse):
    """The comment BI tools show is the manifest's description, word for word (persist_docs)."""
    import duckdb

    home, _, _ = sample_warehouse
    manifest = json.loads(prepared_project().manifest_path.read_text())
    wanted = {
        (n["alias"], c): col["description"]
        for n in manifest["nodes"].values()
        if n["resource_type"] == "model" and n["config"].get("schema") == "marts"
        for c, col in n["columns"].items()
    }
    con = duckdb.connect(str(home / "chipwatch.duckdb"), read_only=True)
    try:
        comments = {
            (t, c): comment
            for t, c, comment in con.execute(
                "select table_name, column_name, comment from duckdb_columns() where schema_name = 'marts'"
            ).fetchall()
        }
    finally:
        con.close()
    differ = [
        f"{t}.{c}: {comments.get((t, c))!r} != {d!r}"
        for (t, c), d in sorted(wanted.items())
        if (t, c) in comments and comments[(t, c)] != d
    ]
    assert len(wanted) > 300 and differ == [], "\n".join(differ[:20])


# --- The prose docs (README.md, DEVELOPERS.md, docs/*.md) name only things that exist (issue 31) ---

ROOT = Path(__file__).resolve().parents[1]
README_MAX_LINES = 200
# Shorthand the docs use for paths inside these folders (`staging/epoch/`, `macros/engine.sql`, `lib/http.py`).
PATH_BASES = ("", "dbt_project/", "dbt_project/models/", "pipelines/", "pipelines/lib/")
# Runtime data under $CHIPWATCH_HOME (warehouse/), and what builds and runs write: not in the repository.
RUNTIME_PREFIXES = (
    "raw/",
    "parquet/",
    "build/",
    "exports/",
    "warehouse/",
    "bench_results/",
    "screenshots/",
    "DIR/",
    ".venv",
    ".dagster_home",
    "metastore_db/",
    "spark-warehouse/",
)
RUNTIME_FILES = {"chipwatch.duckdb", "report.html", "story.html", "published.json", "build-state.json"}
FILE_SUFFIXES = (".py", ".md", ".sql", ".yml", ".yaml", ".toml", ".lock", ".in", ".sh", ".cfg", ".ini", ".txt")
PATH_WORD = re.compile(r"[A-Za-z0-9_.<>*{},-][A-Za-z0-9_./<>*{},-]*")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)
INLINE_CODE = re.compile(r"`([^`\n]+)`")


def _doc_files():
    return [ROOT / "README.md", ROOT / "DEVELOPERS.md", *sorted((ROOT / "docs").glob("*.md"))]


def _code_texts(text):
    """Fenced blocks and inline code spans: where commands and paths are written."""
    blocks = [m.group(0) for m in FENCE.finditer(text)]
    inline = INLINE_CODE.findall(FENCE.sub("", text))
    return blocks, inline


def _tracked_names():
    return {p.name for p in ROOT.rglob("*") if ".venv" not in p.parts and ".git" not in p.parts}


def _as_globs(word):
    """`<placeholder>` stands for any name, `{a,b}` for either; returns glob patterns (or the word itself)."""
    word = re.sub(r"<[^>/]*>", "*", word)
    alternatives = re.match(r"(.*)\{([^}]*)\}(.*)", word)
    if alternatives:
        head, options, tail = alternatives.groups()
        return [head + option + tail for option in options.split(",")]
    return [word]


def _path_exists(word, names):
    if "/" not in word:
        return (
            any(glob.glob(str(ROOT / "**" / pattern), recursive=True) for pattern in _as_globs(word))
            if "*" in word or "<" in word
            else word in names
        )
    return any(glob.glob(str(ROOT / base / pattern)) for base in PATH_BASES for pattern in _as_globs(word.rstrip("/")))


def _looks_like_repo_path(word):
    if word.startswith(("$", "~", "/", "../", "http")) or "://" in word or "…" in word:
        return False
    if word.startswith(RUNTIME_PREFIXES) or word in RUNTIME_FILES:
        return False
    if "/" not in word:
        return word.endswith(FILE_SUFFIXES) and not word.startswith(".")
    first = word.split("/")[0]
    if word.endswith("/") or "." in word.rsplit("/", 1)[-1]:
        return True
    return any((ROOT / base / first).exists() for base in PATH_BASES) and first not in ("", ".")


def _path_words(span):
    for raw in span.split():
        word = raw.strip(",;:()'\"")
        if PATH_WORD.fullmatch(word):
            yield word


def _makefile_targets():
    return set(re.findall(r"^([A-Za-z0-9_-]+):", (ROOT / "Makefile").read_text(), re.MULTILINE))


def _cli_commands():
    """The subcommands `chipwatch --help` lists, e.g. `{refresh,backfill,status,...}`."""
    from pipelines import cli

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        cli.main(["--help"])
    choices = re.search(r"\{([a-z,-]+)\}", out.getvalue())
    assert choices, out.getvalue()
    return set(choices.group(1).split(","))


def broken_doc_references():
    names, targets, commands = _tracked_names(), _makefile_targets(), _cli_commands()
    broken = []
    for doc in _doc_files():
        where = doc.relative_to(ROOT)
        text = doc.read_text()
        blocks, inline = _code_texts(text)
        for span in inline:
            for word in _path_words(span):
                if _looks_like_repo_path(word) and not _path_exists(word, names):
                    broken.append(f"{where}: path `{word}` does not exist")
        for code in blocks + inline:
            for target in re.findall(r"(?:^|[\s`=(])make ([A-Za-z0-9_-]+)", code):
                if target not in targets:
                    broken.append(f"{where}: `make {target}` is not a Makefile target")
            for command in re.findall(r"(?:^|[\s/`$])chipwatch ([a-z][a-z-]*)", code, re.MULTILINE):
                if command not in commands:
                    broken.append(f"{where}: `chipwatch {command}` is not a chipwatch command")
        for target in LINK.findall(FENCE.sub("", text)):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            path = target.split("#")[0]
            if not (doc.parent / path).resolve().exists():
                broken.append(f"{where}: link ({target}) points at nothing")
    return broken


def test_every_path_make_target_cli_command_and_link_in_the_docs_exists():
    broken = broken_doc_references()
    assert not broken, "broken references in the docs:\n" + "\n".join(broken)


def test_the_readme_stays_short():
    lines = len((ROOT / "README.md").read_text().splitlines())
    assert lines <= README_MAX_LINES, (
        f"README.md has {lines} lines; move detail into docs/ (at most {README_MAX_LINES})"
    )


def test_the_docs_index_and_the_readme_link_every_doc():
    readme, index = (ROOT / "README.md").read_text(), (ROOT / "docs" / "README.md").read_text()
    for doc in sorted((ROOT / "docs").glob("*.md")):
        assert f"(docs/{doc.name})" in readme, f"README.md does not link docs/{doc.name}"
        if doc.name != "README.md":
            assert f"({doc.name})" in index, f"docs/README.md does not link {doc.name}"


@pytest.mark.integration  # builds the sample warehouse
def test_every_start_here_query_runs_as_written_and_returns_rows(sample_warehouse):
    """docs/start-here.md maps the common questions to a mart and a filter; each of its queries runs through
    `chipwatch query` exactly as printed (mart names unqualified) and answers something on the sample."""
    from .conftest import run_chipwatch

    _, env, _ = sample_warehouse
    queries = re.findall(r"```sql\n(.*?)```", (ROOT / "docs" / "start-here.md").read_text(), re.DOTALL)
    assert len(queries) >= 8
    empty = []
    for sql in queries:
        out = run_chipwatch("query", sql, "--format", "json", env=env)
        assert out.returncode == 0, f"{sql}\n{out.stderr}"
        if not json.loads(out.stdout):
            empty.append(sql.split("from", 1)[1].split()[0])
    assert empty == []
