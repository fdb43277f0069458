// Kindling's few behaviours that HTMX does not cover. Event delegation on document, so content
// swapped in by HTMX works without re-binding.
(function () {
  "use strict";

  // Sidebar on small screens.
  document.addEventListener("click", function (event) {
    var app = document.querySelector(".app");
    if (!app) return;
    if (event.target.closest("[data-nav-toggle]")) {
      app.classList.toggle("nav-open");
    } else if (app.classList.contains("nav-open") && !event.target.closest(".sidebar")) {
      app.classList.remove("nav-open");
    }
  });

  // A <details class="dropdown"> closes when clicking elsewhere or pressing Escape.
  function closeDropdowns(except) {
    document.querySelectorAll("details.dropdown[open]").forEach(function (d) {
      if (d !== except) d.removeAttribute("open");
    });
  }
  document.addEventListener("click", function (event) {
    closeDropdowns(event.target.closest("details.dropdown"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeDropdowns(null);
  });

  // Flash messages: close button.
  document.addEventListener("click", function (event) {
    var close = event.target.closest(".flash-close");
    if (close) close.closest(".flash").remove();
  });

  // Row selection for bulk actions: [data-select-all] toggles every [data-select-row] in the
  // same [data-selection] container and the bulk bar shows how many are picked.
  function refreshSelection(scope) {
    var rows = scope.querySelectorAll("[data-select-row]");
    var picked = 0;
    rows.forEach(function (box) {
      if (box.checked) picked += 1;
      var tr = box.closest("tr");
      if (tr) tr.classList.toggle("is-selected", box.checked);
    });
    var all = scope.querySelector("[data-select-all]");
    if (all) {
      all.checked = rows.length > 0 && picked === rows.length;
      all.indeterminate = picked > 0 && picked < rows.length;
    }
    scope.querySelectorAll("[data-selected-count]").forEach(function (el) {
      el.textContent = picked;
    });
    scope.querySelectorAll("[data-bulkbar]").forEach(function (bar) {
      bar.classList.toggle("is-visible", picked > 0);
    });
    scope.querySelectorAll("[data-when-none-selected]").forEach(function (el) {
      el.hidden = picked > 0;
    });
  }
  document.addEventListener("change", function (event) {
    var scope = event.target.closest("[data-selection]");
    if (!scope) return;
    if (event.target.matches("[data-select-all]")) {
      scope.querySelectorAll("[data-select-row]").forEach(function (box) {
        box.checked = event.target.checked;
      });
    }
    if (event.target.matches("[data-select-all], [data-select-row]")) refreshSelection(scope);
  });
  document.addEventListener("htmx:afterSettle", function () {
    document.querySelectorAll("[data-selection]").forEach(refreshSelection);
  });

  // Ask before destructive buttons: <button data-confirm="Revoke this key?">.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
