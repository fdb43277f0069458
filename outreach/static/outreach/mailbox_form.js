// Picking a provider fills the SMTP and IMAP servers, ports and encryption from its preset.
(function () {
  "use strict";
  var form = document.getElementById("mailbox-form");
  var picker = document.getElementById("id_provider");
  if (!form || !picker) return;
  var presets = JSON.parse(document.getElementById("mailbox-presets").textContent);
  var help = JSON.parse(document.getElementById("mailbox-provider-help").textContent);
  var note = document.getElementById("provider-help");
  var fields = ["smtp_host", "smtp_port", "smtp_security", "imap_host", "imap_port", "imap_security"];

  function showHelp() {
    note.textContent = help[picker.value] || "";
  }

  picker.addEventListener("change", function () {
    var preset = presets[picker.value];
    showHelp();
    if (!preset) return;
    fields.forEach(function (name) {
      var input = form.elements[name];
      if (input) input.value = preset[name];
    });
    var transport = form.elements.transport;
    if (transport && transport.value === "capture") transport.value = "smtp";
  });
  showHelp();
})();
