"""Import and export in the admin: held to the model permissions, and a confirm writes all rows or none.

Permissions. django-import-export lets anyone who reaches the admin import and export unless a single
permission code is configured for all models; an import may both add and change rows, which no single
code covers. Here each admin asks its own model's permissions instead, on every path: the import form
and its preview, the confirm URL (which a script can post to without a preview) and the export.

All or nothing. django-import-export's confirm re-reads the stored file and imports it again, and
writes the rows that still validate while dropping the others with a success message. Here the
confirm runs in one transaction that is rolled back unless every row imports, and exactly as the
preview showed (corpus_app.admin.import_preview); otherwise the curator sees which rows and why.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST
from import_export.admin import ImportExportModelAdmin
from import_export.forms import ConfirmImportForm

from corpus_app.admin import import_preview


class PreviewedConfirmImportForm(ConfirmImportForm):
    """The confirm form, with the signed account of the preview it confirms."""

    preview = forms.CharField(widget=forms.HiddenInput())


class CorpusImportExportAdmin(ImportExportModelAdmin):
    confirm_form_class = PreviewedConfirmImportForm

    def has_export_permission(self, request):
        # The admin's own rule: the change permission implies view, as on every other admin page.
        return self.has_view_permission(request)

    def has_import_permission(self, request):
        # An import creates the rows it does not find and overwrites those it finds.
        return self.has_add_permission(request) and self.has_change_permission(request)

    def import_action(self, request, **kwargs):
        """The upload and its preview; a clean preview's confirm form carries the signed account of it."""
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        confirm_form = context.get("confirm_form")
        if confirm_form is not None:
            data = self._stored_file(confirm_form.initial).read()
            confirm_form.initial["preview"] = self._sign_preview(request, confirm_form.initial, data, context["result"])
        return response

    @method_decorator(require_POST)
    def process_import(self, request, **kwargs):
        """The confirm: writes every row as previewed, or nothing and says why."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        confirm_form = self.create_confirm_form(request)
        try:
            preview, storage, data = self._previewed_file(request, confirm_form)
        except import_preview.PreviewRefused as refusal:
            messages.error(request, f"Nothing was imported: {refusal} Upload the file again to preview it.")
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import"))

        dataset = self._input_format(confirm_form.cleaned_data).create_dataset(data)
        with transaction.atomic():
            result = self.process_dataset(dataset, confirm_form, request, rollback_on_validation_errors=True, **kwargs)
            failed = result.has_errors() or result.has_validation_errors()
            changes = [] if failed else preview.changes_since(result)
            if failed or changes:
                transaction.set_rollback(True)

        if not failed and not changes:
            storage.remove()
            return self.process_result(result, request)
        if failed:
            storage.remove()
            rows = result.invalid_rows + result.error_rows
            messages.error(
                request,
                f"Nothing was imported: {len(rows) or 'some'} row(s) of the file failed when confirmed (listed "
                "below), although the preview passed: the records they name changed in the meantime. Correct "
                "the file and upload it again.",
            )
            return self._import_page(request, result)
        messages.warning(
            request,
            "Nothing was imported: the data changed since your preview. "
            + "; ".join(changes)
            + ". Below is the preview against the current data: confirm again if it is still what you want.",
        )
        fields = {name: confirm_form.cleaned_data[name] for name in import_preview.BOUND_FIELDS}
        fields["preview"] = self._sign_preview(request, fields, data, result)
        return self._import_page(request, result, self.get_confirm_form_class(request)(initial=fields))

    def _sign_preview(self, request, fields, data, result):
        return import_preview.sign(user=request.user, model=self.model, fields=fields, data=data, result=result)

    def _previewed_file(self, request, confirm_form):
        """The preview the confirm vouches for, the stored file and its data, if they still match."""
        if not confirm_form.is_valid():
            raise import_preview.PreviewRefused("this confirmation does not come from a preview.")
        fields = confirm_form.cleaned_data
        preview = import_preview.load(fields["preview"], user=request.user, model=self.model, fields=fields)
        storage = self._stored_file(fields)
        try:
            data = storage.read()
        except (FileNotFoundError, TypeError):  # TypeError: a cache storage's entry expired (None)
            raise import_preview.PreviewRefused("the previewed file is no longer stored.") from None
        preview.check_file(data)
        return preview, storage, data

    def _input_format(self, fields):
        return self.get_import_formats()[int(fields["format"])](encoding=self.from_encoding)

    def _stored_file(self, fields):
        """The temporary storage holding the uploaded file, as django-import-export's confirm opens it."""
        input_format = self._input_format(fields)
        return self.get_tmp_storage_class()(
            name=fields["import_file_name"],
            encoding=None if input_format.is_binary() else self.from_encoding,
            read_mode=input_format.get_read_mode(),
            **self.get_tmp_storage_class_kwargs(),
        )

    def _import_page(self, request, result, confirm_form=None):
        """The import page showing `result`: with a new upload form, or a confirm form to confirm it."""
        resource_classes = self.get_import_resource_classes(request)
        import_form = self.get_import_form_class(request)(
            self.get_import_formats(), resource_classes, initial=self.get_import_form_initial(request)
        )
        resources = [cls(**self.get_import_resource_kwargs(request)) for cls in resource_classes]
        context = {
            **self.get_import_context_data(),
            **self.admin_site.each_context(request),
            "title": "Import",
            "opts": self.opts,
            "form": import_form,
            "media": self.media + import_form.media,
            "fields_list": [
                (resource.get_display_name(), [field.column_name for field in resource.get_user_visible_fields()])
                for resource in resources
            ],
            "import_error_display": self.import_error_display,
            "result": result,
        }
        if confirm_form is not None:
            context["confirm_form"] = confirm_form
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)
