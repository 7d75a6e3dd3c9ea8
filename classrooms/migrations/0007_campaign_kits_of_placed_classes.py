"""A kit booked for a class of a campaign is one of the campaign's kits: the deployment plan
lists the campaign's kits only, so the kits that already hold a class join them."""

from django.db import migrations

PLAN_LOAN_STATES = ("reserved", "lent", "returned")
BATCH = 1_000


def add_booked_kits(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Application = apps.get_model("classrooms", "Application")
    Loan = apps.get_model("loans", "Loan")
    CampaignKit = apps.get_model("classrooms", "Campaign").kits.through
    holder_type = ContentType.objects.filter(app_label="classrooms", model="application").first()
    if holder_type is None:
        return
    loans = Loan.objects.filter(holder_type=holder_type, status__in=PLAN_LOAN_STATES)
    pairs = (
        Application.objects.filter(pk__in=loans.values("holder_id"))
        .values_list("pk", "campaign_id")
        .order_by()
    )
    campaign_of = dict(pairs.iterator())
    booked = {
        (campaign_of[holder_id], kit_id)
        for holder_id, kit_id in loans.values_list("holder_id", "kit_id").order_by().iterator()
        if holder_id in campaign_of
    }
    CampaignKit.objects.bulk_create(
        [CampaignKit(campaign_id=campaign_id, kit_id=kit_id) for campaign_id, kit_id in booked],
        batch_size=BATCH,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("classrooms", "0006_list_search_indexes"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("loans", "0004_returned_kit_free_on_return_day"),
    ]

    operations = [migrations.RunPython(add_booked_kits, migrations.RunPython.noop)]
