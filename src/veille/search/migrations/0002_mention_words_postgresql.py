"""The tsvector table of mentions' folded keys and the triggers that mark it stale
(PostgreSQL only; SQLite has its FTS5 table). See veille.search.index."""

from __future__ import annotations

from typing import Any

from django.db import migrations

from veille.search.index import PG_TABLE, refresh_words

_CREATE = [
    f"""CREATE TABLE {PG_TABLE} (
        mention_id bigint PRIMARY KEY,
        words tsvector,
        stale boolean NOT NULL DEFAULT true,
        version bigint NOT NULL DEFAULT 0
    )""",
    f"CREATE INDEX {PG_TABLE}_words ON {PG_TABLE} USING gin (words)",
    f"CREATE INDEX {PG_TABLE}_unindexed ON {PG_TABLE} (mention_id) WHERE words IS NULL",
    f"CREATE INDEX {PG_TABLE}_stale ON {PG_TABLE} (mention_id) WHERE stale",
    f"""CREATE FUNCTION {PG_TABLE}_mark() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM {PG_TABLE} WHERE mention_id = OLD.id;
            RETURN OLD;
        END IF;
        INSERT INTO {PG_TABLE} (mention_id) VALUES (NEW.id)
        ON CONFLICT (mention_id) DO UPDATE
            SET words = NULL, stale = true, version = {PG_TABLE}.version + 1;
        RETURN NEW;
    END
    $$""",
    f"""CREATE TRIGGER {PG_TABLE}_insert AFTER INSERT ON core_mention
        FOR EACH ROW EXECUTE FUNCTION {PG_TABLE}_mark()""",
    f"""CREATE TRIGGER {PG_TABLE}_update AFTER UPDATE OF title, text ON core_mention
        FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title
                           OR OLD.text IS DISTINCT FROM NEW.text)
        EXECUTE FUNCTION {PG_TABLE}_mark()""",
    f"""CREATE TRIGGER {PG_TABLE}_delete AFTER DELETE ON core_mention
        FOR EACH ROW EXECUTE FUNCTION {PG_TABLE}_mark()""",
    f"INSERT INTO {PG_TABLE} (mention_id) SELECT id FROM core_mention",
]
_DROP = [
    f"DROP TRIGGER IF EXISTS {PG_TABLE}_insert ON core_mention",
    f"DROP TRIGGER IF EXISTS {PG_TABLE}_update ON core_mention",
    f"DROP TRIGGER IF EXISTS {PG_TABLE}_delete ON core_mention",
    f"DROP FUNCTION IF EXISTS {PG_TABLE}_mark()",
    f"DROP TABLE IF EXISTS {PG_TABLE}",
]


def _forward(apps: Any, schema_editor: Any) -> None:
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    for statement in _CREATE:
        schema_editor.execute(statement)
    while refresh_words(using=connection):
        pass


def _backward(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in _DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_mention_fts")]
    operations = [migrations.RunPython(_forward, _backward)]
