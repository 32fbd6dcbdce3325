"use strict";
// The export page's "Select all" toggle, bound here rather than by an inline onchange attribute, which
// the Content-Security-Policy refuses. onSelectToggleChange comes from django-import-export's
// export_selectable_fields.js, loaded before this file.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input.select-toggle").forEach((toggle) => {
    toggle.addEventListener("change", onSelectToggleChange);
  });
});
