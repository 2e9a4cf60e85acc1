"""Refunds keep a reason code, never a person's own words (kept 10 years as accounting).

Existing rows are converted from what their key says they were: a cancellation
(``cancel-…``), a refund on an order (``refund-…``), a payment that made no order
(``unfulfilled-…``), or one made at the provider.
"""

from django.db import migrations, models

PREFIXES = (
    ("cancel-", "order_cancelled"),
    ("refund-", "order_refund"),
    ("unfulfilled-", "not_fulfilled"),
)


def to_codes(apps, schema_editor):
    Refund = apps.get_model("payments", "Refund")
    for refund in Refund.objects.only("pk", "idempotency_key", "reason").iterator():
        code = "other"
        if refund.reason == "Refunded at the payment provider":
            code = "provider"
        for prefix, found in PREFIXES:
            if refund.idempotency_key.startswith(prefix):
                code = found
        Refund.objects.filter(pk=refund.pk).update(reason=code)


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0003_webhook_object_index"),
    ]

    operations = [
        migrations.RunPython(to_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="refund",
            name="reason",
            field=models.CharField(
                choices=[
                    ("order_cancelled", "Order cancelled"),
                    ("hold_rejected", "Order refused after review"),
                    ("order_refund", "Refund on the order"),
                    ("not_fulfilled", "Payment not turned into an order"),
                    ("provider", "Refunded at the payment provider"),
                    ("other", "Refund"),
                ],
                default="other",
                max_length=20,
            ),
        ),
    ]
