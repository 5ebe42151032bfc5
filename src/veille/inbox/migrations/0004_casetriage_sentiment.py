from django.db import migrations, models

# The shown message's tonality for the rows that exist: the triaged message, else the
# thread's root (plain SQL that SQLite and PostgreSQL both run).
BACKFILL = """
UPDATE inbox_casetriage SET sentiment = COALESCE(
    (SELECT m.sentiment FROM core_mention m WHERE m.id = inbox_casetriage.mention_id),
    (SELECT m.sentiment FROM core_case c JOIN core_mention m ON m.id = c.thread_root_id
     WHERE c.id = inbox_casetriage.case_id),
    ''
)
"""


class Migration(migrations.Migration):
    dependencies = [
        ("inbox", "0003_rules_labels_views"),
    ]

    operations = [
        migrations.AddField(
            model_name="casetriage",
            name="sentiment",
            field=models.CharField(blank=True, max_length=8, verbose_name="sentiment"),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
