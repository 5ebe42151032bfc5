from __future__ import annotations

import json

from typer.testing import CliRunner

from veille.cli import app


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(app, list(args), input=input, env={"COLUMNS": "220"})


def test_watch_check_prints_the_tree():
    result = run("watch", "check", '("Brûlerie Azur" OR azurmoka) NOT emploi')
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:5] == [
        "AND",
        "├── OR",
        "│   ├── phrase 'Brûlerie Azur' -> brulerie azur",
        "│   └── word 'azurmoka' -> azurmoka",
        "└── NOT",
    ]


def test_watch_check_refuses_a_bad_query_with_exit_code_2_and_a_caret():
    result = run("watch", "check", "café AND OR thé")
    assert result.exit_code == 2
    assert "a term is missing (column 10)" in result.output
    assert "           ^^" in result.output
    assert "hint:" in result.output


def test_query_prints_the_matching_documents_with_their_spans():
    lines = [
        {"id": "a", "text": "J’adore les #MediasSociaux de la Brûlerie Azur"},
        {"id": "b", "text": "Rien à voir"},
        {"id": "c", "title": "Brulerie azur", "text": "", "lang": "fr"},
    ]
    stdin = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n"
    result = run("query", '"brûlerie azur" OR "médias sociaux"', input=stdin)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [row["id"] for row in rows] == ["a", "c"]
    assert [span["text"] for span in rows[0]["spans"]] == ["MediasSociaux", "Brûlerie Azur"]
    assert rows[1]["spans"] == [{"field": "title", "start": 0, "end": 13, "text": "Brulerie azur"}]


def test_query_skips_unreadable_lines_and_says_so():
    result = run("query", "azur", input='{"id": 1, "text": "azur"}\nnot json\n')
    assert result.exit_code == 1
    assert '"id": 1' in result.output
    assert "line 2 skipped" in result.output


def test_query_refuses_a_bad_query():
    result = run("query", "(azur", input="")
    assert result.exit_code == 2
    assert "never closed" in result.output
