"""The two roles: Curator (add, change and view everything; delete only what loses no curated work on
its own) and Reader (view). Users join them in the admin (Users → user → Groups)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CORPUS_MODELS = ["article", "city", "expert", "outlet", "quote", "visit", "visitparticipant"]
# Experts and articles carry the most curation (and quotes hang on them): curators may not delete them.
CURATOR_MAY_DELETE = ["city", "outlet", "quote", "visit", "visitparticipant"]


def roles_create(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        # create_permissions skips an app whose models_module is unset, as it is in a migration state.
        # Put back what was there: called with the real registry (tests do), None would hide every app
        # from dumpdata.
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    corpus = Permission.objects.filter(content_type__app_label="corpus_app")

    def codenames(actions, models):
        return [f"{action}_{model}" for action in actions for model in models]

    curator, _ = Group.objects.get_or_create(name="Curator")
    curator.permissions.set(
        corpus.filter(
            codename__in=codenames(["add", "change", "view"], CORPUS_MODELS) + codenames(["delete"], CURATOR_MAY_DELETE)
        )
    )
    reader, _ = Group.objects.get_or_create(name="Reader")
    reader.permissions.set(corpus.filter(codename__in=codenames(["view"], CORPUS_MODELS)))


def roles_delete(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Curator", "Reader"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("corpus_app", "0004_record_versions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(roles_create, roles_delete)]
