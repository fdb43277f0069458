from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("outreach", "0002_domain_checks"),
    ]

    operations = [
        migrations.AddField(
            model_name="inboundmessage",
            name="positive",
            field=models.BooleanField(default=False),
        ),
    ]
