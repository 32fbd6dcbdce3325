"""Post an admin change form as a browser would: every field as rendered, with some changed."""

import datetime


def _as_post_value(value):
    if value is None:
        return ""
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return value


def form_data(response) -> dict:
    """The data a browser would submit for the admin change page in `response`, unchanged."""
    data = {}

    def add(form, prefix=""):
        for name in form.fields:
            value = form[name].value()
            key = f"{prefix}{name}"
            if isinstance(value, bool) or getattr(form.fields[name].widget, "input_type", None) == "checkbox":
                if value:
                    data[key] = "on"
                continue
            if isinstance(value, (list, tuple)):
                data[key] = [str(v) for v in value]
            else:
                data[key] = _as_post_value(value)

    add(response.context["adminform"].form)
    inlines = response.context["inline_admin_formsets"] if "inline_admin_formsets" in response.context else []
    for inline in inlines:
        formset = inline.formset
        add(formset.management_form, f"{formset.prefix}-")
        for form in formset.forms:
            add(form, f"{form.prefix}-")
    return data
