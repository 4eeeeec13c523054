// Canteen: tonight's night-meal forms close at the cut-off. Loaded from base.html like the
// other scripts, so the service worker keeps it with them for offline copies.
// A copy of the menu kept offline (or left open) still holds the reservation form after the
// cut-off; the server would refuse it. The block carries the cut-off instant (ISO, with its
// offset) and each form the note the server shows instead, already translated.
(function () {
  "use strict";
  function closeNightForms() {
    var blocks = document.querySelectorAll("[data-night-cutoff]");
    Array.prototype.forEach.call(blocks, function (block) {
      var cutoff = Date.parse(block.getAttribute("data-night-cutoff"));
      if (isNaN(cutoff) || Date.now() < cutoff) return;
      var forms = block.querySelectorAll("form[data-closed-text]");
      Array.prototype.forEach.call(forms, function (form) {
        var note = document.createElement("p");
        note.className = "closed-note";
        note.textContent = form.getAttribute("data-closed-text");
        form.parentNode.replaceChild(note, form);
      });
    });
  }
  closeNightForms();
  window.setInterval(closeNightForms, 30000);
})();
