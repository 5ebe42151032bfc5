import django.db.models.deletion
from django.db import migrations, models


def build_monthly_authors(apps, schema_editor):
    # From the daily roll-ups already there (AuthorDay, DailyEdge): no mention is read.
    from veille.insights.rollups import rebuild_monthly_authors

    rebuild_monthly_authors()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_scale_indexes"),
        ("insights", "0004_monthly_cohorts"),
    ]

    # The table is filled first and indexed afterwards: quicker on a big database.
    operations = [
        migrations.CreateModel(
            name="MonthlyAuthor",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.IntegerField()),
                ("mentions", models.PositiveIntegerField()),
                ("positive", models.PositiveIntegerField()),
                ("negative", models.PositiveIntegerField()),
                ("answered", models.PositiveIntegerField()),
                (
                    "author",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="core.author",
                    ),
                ),
                (
                    "workspace",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="core.workspace",
                    ),
                ),
            ],
        ),
        migrations.RunPython(build_monthly_authors, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="monthlyauthor",
            index=models.Index(
                fields=["workspace", "month", "mentions"],
                include=("author",),
                name="rollup_monthly_mentions",
            ),
        ),
        migrations.AddIndex(
            model_name="monthlyauthor",
            index=models.Index(
                fields=["workspace", "month", "answered"],
                include=("author",),
                name="rollup_monthly_answered",
            ),
        ),
        migrations.AddIndex(
            model_name="monthlyauthor",
            index=models.Index(
                fields=["workspace", "author", "month"],
                include=("mentions", "positive", "negative", "answered"),
                name="rollup_monthly_author",
            ),
        ),
        migrations.AddIndex(
            model_name="dailyedge",
            index=models.Index(
                fields=["workspace", "author", "day"],
                include=("target", "weight"),
                name="rollup_edge_author_targets",
            ),
        ),
        migrations.RemoveIndex(model_name="dailyedge", name="rollup_edge_author"),
    ]
