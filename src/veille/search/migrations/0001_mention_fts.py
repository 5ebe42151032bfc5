"""The FTS5 table of mentions' folded keys and the triggers that keep it (SQLite only)."""

from __future__ import annotations

from django.db import migrations

from veille.search.index import FUNCTION, TABLE, install_functions

_CREATE = [
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(words, tokenize='unicode61 remove_diacritics 0')",
    f"""CREATE TRIGGER {TABLE}_insert AFTER INSERT ON core_mention BEGIN
        INSERT INTO {TABLE}(rowid, words) VALUES (new.id, {FUNCTION}(new.title, new.text));
    END""",
    f"""CREATE TRIGGER {TABLE}_update AFTER UPDATE OF title, text ON core_mention BEGIN
        UPDATE {TABLE} SET words = {FUNCTION}(new.title, new.text) WHERE rowid = new.id;
    END""",
    f"""CREATE TRIGGER {TABLE}_delete AFTER DELETE ON core_mention BEGIN
        DELETE FROM {TABLE} WHERE rowid = old.id;
    END""",
    f"INSERT INTO {TABLE}(rowid, words) SELECT id, {FUNCTION}(title, text) FROM core_mention",
]
_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_insert",
    f"DROP TRIGGER IF EXISTS {TABLE}_update",
    f"DROP TRIGGER IF EXISTS {TABLE}_delete",
    f"DROP TABLE IF EXISTS {TABLE}",
]


def _forward(apps, schema_editor) -> None:
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    connection.ensure_connection()
    # The app's signal may not have seen this connection open (it predates ready()).
    install_functions(None, connection)
    for statement in _CREATE:
        schema_editor.execute(statement)


def _backward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for statement in _DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_enrich_corrections")]
    operations = [migrations.RunPython(_forward, _backward)]
