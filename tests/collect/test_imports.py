"""File imports: CSV, JSONL and XLSX exports, mappings, bad rows, idempotency."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests import factories
from veille.collect.base import CollectError
from veille.collect.imports import collect_import, import_file
from veille.core.models import Mention, Source
from veille.pipeline.store import store

FRENCH_CSV = (
    "identifiant;texte;publié le;auteur;lien;plateforme;langue\n"
    "1;J'adore le café de la Brûlerie Azur;12/03/2024 14:05;claire;https://x.example/1;x;fr\n"
    "2;Livraison en retard, encore;2024-03-13T09:00:00+01:00;paul;https://x.example/2;x;fr\n"
    "3;Le meilleur expresso de Marseille;1710320400;lina;;instagram;fr\n"
)


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


def test_csv_with_semicolons_and_french_headers(tmp_path: Path) -> None:
    batch = import_file(write(tmp_path, "export.csv", FRENCH_CSV))
    assert batch.warnings == []
    first, second, third = batch.mentions
    assert first.external_id == "1"
    assert first.text == "J'adore le café de la Brûlerie Azur"
    assert first.published_at == datetime(2024, 3, 12, 14, 5, tzinfo=UTC)
    assert (first.author_name, first.url, first.platform, first.language) == (
        "claire",
        "https://x.example/1",
        "x",
        "fr",
    )
    assert second.published_at == datetime(2024, 3, 13, 8, 0, tzinfo=UTC)
    assert third.published_at == datetime(2024, 3, 13, 9, 0, tzinfo=UTC)
    assert third.platform == "instagram"
    assert set(batch.cursor) == {"size", "mtime", "sha256"}


def test_csv_in_cp1252_with_commas(tmp_path: Path) -> None:
    content = 'text,date,author\n"Très bon café, vraiment",2024-03-12,Zoé\n'
    batch = import_file(write(tmp_path, "win.csv", content.encode("cp1252")))
    assert batch.mentions[0].text == "Très bon café, vraiment"
    assert batch.mentions[0].author_name == "Zoé"


def test_tab_separated_with_a_byte_order_mark(tmp_path: Path) -> None:
    content = "\ufeffmessage\tcreated_at\nBonjour\t2024-03-12 10:00\n"
    batch = import_file(write(tmp_path, "tab.tsv", content))
    assert batch.mentions[0].text == "Bonjour"


def test_bad_rows_are_warnings_naming_row_and_column(tmp_path: Path) -> None:
    content = "text;date\nbon;12/03/2024\nmauvais;31/02/2026\n;12/03/2024\n"
    batch = import_file(write(tmp_path, "export.csv", content))
    assert [m.text for m in batch.mentions] == ["bon"]
    assert batch.warnings == [
        "export.csv, row 3, column 'date': '31/02/2026' is not a date",
        "export.csv, row 4, column 'text': the text is empty",
    ]


def test_strict_import_fails_on_the_first_bad_row(tmp_path: Path) -> None:
    path = write(tmp_path, "export.csv", "text;date\nbon;12/03/2024\nmauvais;31/02/2026\n")
    with pytest.raises(CollectError, match=r"export\.csv, row 3, column 'date'"):
        import_file(path, strict=True)


def test_file_without_any_good_row_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "export.csv", "text;date\nmauvais;31/02/2026\n")
    with pytest.raises(CollectError, match="no row could be imported"):
        import_file(path)


def test_no_text_column_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "export.csv", "a;b\n1;2\n")
    with pytest.raises(CollectError, match="no text column"):
        import_file(path)


def test_mapping_overrides_the_defaults(tmp_path: Path) -> None:
    content = "body,text,when\nle vrai texte,autre chose,12/03/2024\n"
    path = write(tmp_path, "export.csv", content)
    batch = import_file(path, {"text": "body", "date": "when"})
    assert batch.mentions[0].text == "le vrai texte"
    assert batch.mentions[0].published_at == datetime(2024, 3, 12, tzinfo=UTC)
    with pytest.raises(CollectError, match="column 'missing'"):
        import_file(path, {"text": "missing"})
    with pytest.raises(CollectError, match="unknown field 'colour'"):
        import_file(path, {"colour": "body"})


def test_jsonl_with_invalid_utf8_and_a_non_object_line(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a", "content": "premier", "user": "u1"}).encode(),
        b'{"id": "b", "content": "caf\xe9"}',
        b"[1, 2, 3]",
        json.dumps({"id": "c", "content": "troisième", "parent": "https://x.example/a"}).encode(),
    ]
    batch = import_file(write(tmp_path, "export.jsonl", b"\n".join(lines) + b"\n"))
    assert [m.external_id for m in batch.mentions] == ["a", "c"]
    assert batch.mentions[1].kind == "reply"
    assert batch.mentions[1].in_reply_to_url == "https://x.example/a"
    assert batch.warnings[0].startswith("export.jsonl, line 2: not valid UTF-8")
    assert batch.warnings[1] == "export.jsonl, line 3: not a JSON object"


def test_xlsx_made_with_openpyxl(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Titre", "Contenu", "Date", "Auteur", "Type"])
    sheet.append(["Avis", "Un café parfait", datetime(2024, 3, 12, 14, 5), "Claire", "comment"])
    sheet.append([None, None, None, None, None])
    sheet.append(["Avis 2", "Trop cher", "13/03/2024", "Paul", "nonsense"])
    path = tmp_path / "export.xlsx"
    workbook.save(path)
    batch = import_file(path)
    (mention,) = batch.mentions
    assert (mention.title, mention.text, mention.kind) == ("Avis", "Un café parfait", "comment")
    assert mention.published_at == datetime(2024, 3, 12, 14, 5, tzinfo=UTC)
    assert batch.warnings == [
        "export.xlsx, row 4, column 'Type': 'nonsense' is not a kind "
        "(comment, post, reply, share, trackback)"
    ]


def test_rows_without_id_get_a_stable_content_hash(tmp_path: Path) -> None:
    path = write(tmp_path, "export.csv", "text,date\nbonjour,2024-03-12\n")
    assert import_file(path).mentions[0].external_id == import_file(path).mentions[0].external_id


def test_unreadable_and_unknown_files(tmp_path: Path) -> None:
    with pytest.raises(CollectError, match="not a regular file"):
        import_file(tmp_path)
    with pytest.raises(CollectError, match="unknown file type"):
        import_file(write(tmp_path, "export.pdf", "x"))
    with pytest.raises(CollectError, match="not a readable XLSX"):
        import_file(write(tmp_path, "broken.xlsx", b"not a zip"))


@pytest.mark.django_db
def test_import_source_is_idempotent_through_the_store(tmp_path: Path) -> None:
    path = write(tmp_path, "export.csv", FRENCH_CSV)
    source = Source.objects.create(
        workspace=factories.workspace(), kind="import", params={"path": str(path)}
    )
    batch = collect_import(source)
    assert store(source, batch.mentions, batch.cursor).created == 3
    source.refresh_from_db()
    assert collect_import(source).not_modified
    source.cursor = {}
    again = collect_import(source)
    result = store(source, again.mentions, again.cursor)
    assert (result.created, result.already_stored) == (0, 3)
    assert Mention.objects.filter(source=source).count() == 3


@pytest.mark.django_db
def test_import_source_refuses_what_is_not_a_regular_file(tmp_path: Path) -> None:
    source = Source.objects.create(
        workspace=factories.workspace(), kind="import", params={"path": str(tmp_path)}
    )
    with pytest.raises(CollectError, match="not a regular file"):
        collect_import(source)
