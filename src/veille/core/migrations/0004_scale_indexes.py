"""Indexes only: what the dashboard's team panel and the inbox need at a million cases."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_enrich_corrections"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="case",
            index=models.Index(fields=["workspace", "opened_at"], name="case_ws_opened"),
        ),
        # The inbox's order: its first page reads 50 index entries instead of sorting.
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["workspace", "-priority", "-opened_at", "-id"], name="case_inbox_order"
            ),
        ),
    ]
