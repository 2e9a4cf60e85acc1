# Identity documents become sealed files (the key ring of the encrypted columns, rotated with
# them); an export's download needs the owner signed in or the emailed one-time code.

import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import migrations, models, transaction
from django.db.models import ExpressionWrapper, F, Value

import recommerce.privacy.encryption.files
import recommerce.privacy.models.requests
from recommerce.privacy.encryption.cipher import decrypt, encrypt
from recommerce.privacy.encryption.files import sealed_storage


def _raw(model, using):
    """Return (pk, reference, stored column) for each request holding a document."""
    raw = ExpressionWrapper(F("identity_document"), output_field=models.TextField())
    rows = model.objects.using(using).annotate(stored=raw).exclude(stored="")
    return rows.filter(stored__isnull=False).values_list("pk", "reference", "stored")


def _set(model, using, pk, value):
    # A plain expression: the column is written as given, whatever the field's type.
    model.objects.using(using).filter(pk=pk).update(
        identity_document=Value(value, output_field=models.TextField())
    )


def seal_documents(apps, schema_editor):
    """Turn each document (a token of its bytes in hex, named by an encrypted name) into a
    sealed file named in clear."""
    DataRequest = apps.get_model("privacy", "DataRequest")
    using = schema_editor.connection.alias
    private, sealed, old_names = storages["private"], sealed_storage(), []
    for pk, reference, stored in list(_raw(DataRequest, using)):
        name = decrypt(stored)
        if not private.exists(name):
            _set(DataRequest, using, pk, "")
            continue
        with private.open(name, "rb") as handle:
            content = bytes.fromhex(decrypt(handle.read().decode("ascii")))
        new = sealed.save(
            f"identity/{reference}-{secrets.token_hex(8)}", ContentFile(content)
        )
        _set(DataRequest, using, pk, new)
        old_names.append(name)
    transaction.on_commit(lambda: [private.delete(n) for n in old_names], using=using)


def unseal_documents(apps, schema_editor):
    """Write the documents back in the previous format, under encrypted names."""
    DataRequest = apps.get_model("privacy", "DataRequest")
    using = schema_editor.connection.alias
    private, sealed, old_names = storages["private"], sealed_storage(), []
    for pk, reference, name in list(_raw(DataRequest, using)):
        with sealed.open(name, "rb") as handle:
            content = handle.read()
        token = encrypt(content.hex())
        new = private.save(
            f"identity/{reference}-{secrets.token_hex(8)}.enc", ContentFile(token.encode())
        )
        _set(DataRequest, using, pk, encrypt(new))
        old_names.append(name)
    transaction.on_commit(lambda: [sealed.delete(n) for n in old_names], using=using)


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0006_erasure_kept_and_partly_done"),
    ]

    operations = [
        # Before the column narrows: the encrypted names are longer than the plain ones.
        migrations.RunPython(seal_documents, unseal_documents),
        migrations.AlterField(
            model_name="datarequest",
            name="identity_document",
            field=models.FileField(
                blank=True,
                storage=recommerce.privacy.encryption.files.sealed_storage,
                upload_to=recommerce.privacy.models.requests.identity_document_path,
            ),
        ),
        migrations.AddField(
            model_name="exportarchive",
            name="code_attempts",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="exportarchive",
            name="code_hash",
            field=models.CharField(blank=True, max_length=64),
        ),
    ]
