from django.db import migrations, models


def seal_existing(apps, schema_editor):
    from veille.core.sealing import seal

    accounts = apps.get_model("publish", "PlatformAccount")
    for account in accounts.objects.all():
        account.sealed_secret = seal(account.secret)
        account.save(update_fields=["sealed_secret"])


def open_sealed(apps, schema_editor):
    # Back to a version that reads tokens in clear: what it needs.
    from veille.core.sealing import unseal

    accounts = apps.get_model("publish", "PlatformAccount")
    for account in accounts.objects.all():
        account.secret = unseal(account.sealed_secret)
        account.save(update_fields=["secret"])


class Migration(migrations.Migration):
    dependencies = [
        ("publish", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="platformaccount",
            name="sealed_secret",
            field=models.TextField(default="", verbose_name="token or app password (sealed)"),
            preserve_default=False,
        ),
        migrations.RunPython(seal_existing, open_sealed),
        migrations.RemoveField(model_name="platformaccount", name="secret"),
    ]
