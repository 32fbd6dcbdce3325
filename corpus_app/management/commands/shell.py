from django.core.management.commands import shell


class Command(shell.Command):
    """Django's shell, without trying to auto-import simple-history's generated models.

    Those classes are not attributes of any module, so the stock shell lists them as "could not be
    automatically imported" every time it starts.
    """

    def get_auto_imports(self):
        return [path for path in super().get_auto_imports() if ".Historical" not in path]
