# Export archives waiting to be downloaded become sealed files, as new ones are written.

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import migrations, transaction

from recommerce.privacy.encryption.files import is_sealed, sealed_storage, unseal_bytes


def _waiting(apps, using):
    ExportArchive = apps.get_model("privacy", "ExportArchive")
    return ExportArchive, ExportArchive.objects.using(using).filter(status="ready").exclude(
        file_name=""
    )


def seal_archives(apps, schema_editor):
    """Write each waiting archive again, sealed, under a new name; delete the plain one."""
    using = schema_editor.connection.alias
    model, waiting = _waiting(apps, using)
    private, sealed, old_names = storages["private"], sealed_storage(), []
    for pk, name in list(waiting.values_list("pk", "file_name")):
        if not private.exists(name):
            continue
        with private.open(name, "rb") as handle:
            raw = handle.read()
        if is_sealed(raw):
            continue
        new = sealed.save(name, ContentFile(raw))
        model.objects.using(using).filter(pk=pk).update(file_name=new)
        old_names.append(name)
    transaction.on_commit(lambda: [private.delete(n) for n in old_names], using=using)


def unseal_archives(apps, schema_editor):
    """Write each waiting archive back in clear."""
    using = schema_editor.connection.alias
    model, waiting = _waiting(apps, using)
    private, old_names = storages["private"], []
    for pk, name in list(waiting.values_list("pk", "file_name")):
        if not private.exists(name):
            continue
        with private.open(name, "rb") as handle:
            raw = handle.read()
        if not is_sealed(raw):
            continue
        new = private.save(name, ContentFile(unseal_bytes(raw, name=name)))
        model.objects.using(using).filter(pk=pk).update(file_name=new)
        old_names.append(name)
    transaction.on_commit(lambda: [private.delete(n) for n in old_names], using=using)


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0007_sealed_identity_documents_export_codes"),
    ]

    operations = [migrations.RunPython(seal_archives, unseal_archives)]
