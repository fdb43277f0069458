// The leads table: fill the page height, and "select all N matching" for bulk actions.
(function () {
  "use strict";

  // The table scrolls inside what the window has left under it, whatever the screen.
  function fit() {
    document.querySelectorAll(".leads-table .table-wrap").forEach(function (wrap) {
      var top = wrap.getBoundingClientRect().top + window.scrollY;
      var pager = wrap.parentElement.querySelector(".pager");
      var below = (pager ? pager.offsetHeight : 0) + 18;
      wrap.style.maxHeight = Math.max(260, window.innerHeight - top - below) + "px";
    });
  }

  function totalLabel(scope) {
    var total = Number(scope.getAttribute("data-total") || 0).toLocaleString("en-US");
    return scope.hasAttribute("data-capped") ? total + "+" : total;
  }

  function rows(scope) {
    return Array.prototype.slice.call(scope.querySelectorAll("[data-select-row]"));
  }

  // "Select all N matching" is offered once every row of the page is ticked (as in Gmail).
  function setMatching(scope, on) {
    var input = scope.querySelector("[data-select-matching-input]");
    if (!input) return;
    input.value = on ? "1" : "";
    var offer = scope.querySelector("[data-select-matching]");
    var clear = scope.querySelector("[data-select-matching-clear]");
    var allTicked = rows(scope).every(function (box) { return box.checked; });
    if (offer) {
      offer.hidden = on || !allTicked;
      offer.setAttribute("aria-pressed", on ? "true" : "false");
    }
    if (clear) clear.hidden = !on;
    if (on) {
      scope.querySelectorAll("[data-selected-count]").forEach(function (el) {
        el.textContent = "All " + totalLabel(scope);
      });
    }
  }

  document.addEventListener("click", function (event) {
    var offer = event.target.closest("[data-select-matching]");
    var clear = event.target.closest("[data-select-matching-clear]");
    var button = offer || clear;
    if (!button) return;
    var scope = button.closest("[data-selection]");
    if (clear) {
      rows(scope).forEach(function (box) { box.checked = false; });
      var all = scope.querySelector("[data-select-all]");
      if (all) all.checked = false;
      // Let app.js recount and hide the bulk bar.
      if (all) all.dispatchEvent(new Event("change", { bubbles: true }));
    }
    setMatching(scope, Boolean(offer));
  });

  // Ticking or unticking a row goes back to "these rows" (app.js has recounted them by now).
  document.addEventListener("change", function (event) {
    if (!event.target.matches("[data-select-all], [data-select-row]")) return;
    var scope = event.target.closest("[data-selection]");
    if (scope) setMatching(scope, false);
  });

  // "Apply" in the filters' "More filters" menu closes it, so it stops covering the table.
  document.addEventListener("submit", function (event) {
    if (event.target.id !== "lead-filters") return;
    event.target.querySelectorAll("details.dropdown[open]").forEach(function (d) {
      d.open = false;
    });
  });

  document.addEventListener("DOMContentLoaded", fit);
  window.addEventListener("resize", fit);
  document.addEventListener("htmx:afterSettle", function () {
    fit();
    document.querySelectorAll(".leads-table[data-selection]").forEach(function (scope) {
      setMatching(scope, false);
    });
  });
})();
