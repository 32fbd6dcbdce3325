"""The roles of 0005 over search synonyms: curators edit them (deleting one loses no curated record),
readers see them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def synonym_permissions_grant(apps, schema_editor):
    app_config = apps.get_app_config("corpus_app")
    # As in 0005: create_permissions skips an app whose models_module is unset, as in a migration state.
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    synonym = Permission.objects.filter(content_type__app_label="corpus_app", content_type__model="searchsynonym")
    for group in Group.objects.filter(name="Curator"):
        group.permissions.add(*synonym)
    for group in Group.objects.filter(name="Reader"):
        group.permissions.add(*synonym.filter(codename="view_searchsynonym"))


def synonym_permissions_revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=["Curator", "Reader"]):
        group.permissions.remove(*Permission.objects.filter(content_type__model="searchsynonym"))


class Migration(migrations.Migration):
    dependencies = [("corpus_app", "0011_search"), ("corpus_app", "0005_curator_and_reader_groups")]

    operations = [migrations.RunPython(synonym_permissions_grant, synonym_permissions_revoke)]
