import django.db.models.deletion
from django.db import migrations, models


def build_cohorts(apps, schema_editor):
    # From the monthly roll-ups already there: no need to read the mentions again.
    from veille.insights.rollups import rebuild_cohorts

    rebuild_cohorts()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_scale_indexes"),
        ("insights", "0003_rollups"),
    ]

    operations = [
        migrations.CreateModel(
            name="MonthlyCohort",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("first_month", models.IntegerField()),
                ("month", models.IntegerField()),
                ("authors", models.PositiveIntegerField()),
                (
                    "workspace",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="core.workspace",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["workspace", "first_month"], name="rollup_cohort_first"),
                    models.Index(fields=["workspace", "month"], name="rollup_cohort_month"),
                ],
            },
        ),
        migrations.RunPython(build_cohorts, migrations.RunPython.noop),
    ]
