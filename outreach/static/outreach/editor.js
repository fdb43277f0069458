// The step editor's variable buttons: insert {{first_name|there}} & co. where the cursor was in
// the subject, the body or the HTML, then announce the change so the live preview follows.
(function () {
  "use strict";
  var last = null;
  document.addEventListener("focusin", function (event) {
    if (event.target.matches("#step-form input[name=subject], #step-form textarea")) last = event.target;
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-insert]");
    if (!button) return;
    var field = last || document.querySelector("#step-form textarea[name=body]");
    if (!field) return;
    var text = button.getAttribute("data-insert");
    var start = field.selectionStart == null ? field.value.length : field.selectionStart;
    var end = field.selectionEnd == null ? start : field.selectionEnd;
    field.value = field.value.slice(0, start) + text + field.value.slice(end);
    field.focus();
    field.setSelectionRange(start + text.length, start + text.length);
    field.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
