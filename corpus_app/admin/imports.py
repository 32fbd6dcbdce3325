"""Import and export in the admin, held to the model permissions a curator's role grants.

django-import-export lets anyone who reaches the admin import and export unless a single permission
code is configured for all models; an import may both add and change rows, which no single code
covers. Here each admin asks its own model's permissions instead, on every path: the import form and
its preview, the confirm URL (posted to directly, without a preview, by a script) and the export.
"""

from import_export.admin import ImportExportModelAdmin


class PermissionedImportExportAdmin(ImportExportModelAdmin):
    """Export needs the view permission on the model; import needs add and change."""

    def has_export_permission(self, request):
        # The admin's own rule: the change permission implies view, as on every other admin page.
        return self.has_view_permission(request)

    def has_import_permission(self, request):
        # An import creates the rows it does not find and overwrites those it finds.
        return self.has_add_permission(request) and self.has_change_permission(request)
