"""Every existing organisation of kind "commission" becomes a Commission with the default criteria."""

from django.db import migrations

DEFAULT_CRITERIA = [
    ("Жобаның өміршеңдігі", "Жизнеспособность проекта", "Viability of the project", 10),
    ("Нарықты түсіну", "Понимание рынка", "Understanding of the market", 10),
    ("Қаржылық негізділік", "Финансовая обоснованность", "Financial soundness", 10),
    ("Таныстырылым", "Презентация", "Presentation", 10),
]


def forwards(apps, schema_editor):
    Organisation = apps.get_model("accounts", "Organisation")
    Commission = apps.get_model("commissions", "Commission")
    Criterion = apps.get_model("commissions", "Criterion")
    for org in Organisation.objects.filter(kind="commission", region__isnull=False, commission__isnull=True):
        commission = Commission.objects.create(organisation=org, district_id=org.district_id, region_id=org.region_id)
        Criterion.objects.bulk_create(
            Criterion(commission=commission, name_kk=kk, name_ru=ru, name_en=en, max_score=top, position=n)
            for n, (kk, ru, en, top) in enumerate(DEFAULT_CRITERIA, start=1)
        )


class Migration(migrations.Migration):
    dependencies = [("commissions", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
