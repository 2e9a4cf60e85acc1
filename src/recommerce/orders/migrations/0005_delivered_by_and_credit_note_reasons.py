"""Who said an order arrived; credit notes name a refund's reason by its code's label.

Credit notes used to copy the refund's reason, which could be the buyer's own words about
a cancellation, into a record kept 10 years. Their lines now read the label of the
refund's reason code (see payments 0004); amounts and numbers are untouched.
"""

import re

from django.db import migrations, models

LABELS = {
    "order_cancelled": "Order cancelled",
    "hold_rejected": "Order refused after review",
    "order_refund": "Refund on the order",
    "not_fulfilled": "Payment not turned into an order",
    "provider": "Refunded at the payment provider",
    "other": "Refund",
}
REFERENCE = re.compile(r"^Reference: refund-(\d+)$")
VAT_SUFFIX = re.compile(r" \([0-9.,]+ % VAT\)$")


def relabel_credit_notes(apps, schema_editor):
    Invoice = apps.get_model("orders", "Invoice")
    Refund = apps.get_model("payments", "Refund")
    for note in Invoice.objects.filter(kind="credit_note").iterator():
        refund_id = next(
            (int(m[1]) for m in map(REFERENCE.match, note.mentions or []) if m), None
        )
        code = (
            Refund.objects.filter(pk=refund_id).values_list("reason", flat=True).first()
            if refund_id
            else None
        )
        label = LABELS.get(code or "other", "Refund")
        lines = []
        for line in note.lines:
            suffix = VAT_SUFFIX.search(str(line.get("description", "")))
            lines.append({**line, "description": label + (suffix[0] if suffix else "")})
        if lines != note.lines:
            Invoice.objects.filter(pk=note.pk).update(lines=lines)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0004_commission_rule_once_per_scope"),
        ("payments", "0004_refund_reason_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="delivered_by",
            field=models.CharField(
                blank=True,
                choices=[
                    ("carrier", "Reported by the carrier"),
                    ("buyer", "Confirmed by the buyer"),
                    ("presumed", "Presumed after the delivery period"),
                ],
                max_length=8,
            ),
        ),
        migrations.RunPython(relabel_credit_notes, migrations.RunPython.noop),
    ]
