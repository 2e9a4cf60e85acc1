# Seller documents move from the served media folder to private storage, sealed (SEC-1).

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import migrations, models, transaction

import recommerce.accounts.models.sellers
import recommerce.privacy.encryption.files
from recommerce.privacy.encryption.files import sealed_storage

OLD_PREFIX = "private/"


def _delete_later(storage, names, using):
    # Only once the rows point at the new files: a failed migration keeps the old ones.
    transaction.on_commit(lambda: [storage.delete(name) for name in names], using=using)


def seal_documents(apps, schema_editor):
    """Encrypt each document kept in clear under media/ into private storage."""
    SellerDocument = apps.get_model("accounts", "SellerDocument")
    using = schema_editor.connection.alias
    sealed, moved = sealed_storage(), []
    rows = SellerDocument.objects.using(using).exclude(file="").values_list("pk", "file")
    for pk, name in rows.iterator():
        if not default_storage.exists(name):
            continue  # sealed by an earlier run, or lost before this migration
        with default_storage.open(name, "rb") as handle:
            content = handle.read()
        new = sealed.save(name.removeprefix(OLD_PREFIX), ContentFile(content))
        SellerDocument.objects.using(using).filter(pk=pk).update(file=new)
        moved.append(name)
    _delete_later(default_storage, moved, using)


def unseal_documents(apps, schema_editor):
    """Put the documents back in clear under media/ (what the previous version read)."""
    SellerDocument = apps.get_model("accounts", "SellerDocument")
    using = schema_editor.connection.alias
    sealed, moved = sealed_storage(), []
    rows = SellerDocument.objects.using(using).exclude(file="").values_list("pk", "file")
    for pk, name in rows.iterator():
        if not sealed.exists(name):
            continue
        with sealed.open(name, "rb") as handle:
            content = handle.read()
        new = default_storage.save(OLD_PREFIX + name, ContentFile(content))
        SellerDocument.objects.using(using).filter(pk=pk).update(file=new)
        moved.append(name)
    _delete_later(sealed, moved, using)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_seller_invitations"),
    ]

    operations = [
        migrations.AlterField(
            model_name="sellerdocument",
            name="file",
            field=models.FileField(
                storage=recommerce.privacy.encryption.files.sealed_storage,
                upload_to=recommerce.accounts.models.sellers.seller_document_path,
            ),
        ),
        migrations.RunPython(seal_documents, unseal_documents),
    ]
