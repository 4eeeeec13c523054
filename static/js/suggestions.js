// Suggestion box: an anonymous suggestion's follow-up code is made here, on the phone, and
// shown before the form is sent, because a form kept offline is sent later in the background
// and its answer page (which would show the code) is never seen. The server stores only a hash.
(function () {
  "use strict";
  var ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // as portal/blueprints/suggestions/services.py

  function newCode() {
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    var code = "";
    for (var i = 0; i < bytes.length; i += 1) code += ALPHABET[bytes[i] & 31];
    return code;
  }

  function grouped(code) { return code.match(/.{1,4}/g).join("-"); }

  // Capture phase: runs before the outbox takes the form's fields.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.id !== "suggestion-form") return;
    var anonymous = form.elements.anonymous;
    var box = document.getElementById("code-box");
    if (!anonymous || !anonymous.checked || !form.elements.code) {
      if (form.elements.code) form.elements.code.value = "";
      return;
    }
    var code = newCode();
    form.elements.code.value = code;
    if (box) {
      box.textContent = "";
      var text = document.createElement("p");
      text.textContent = box.dataset.text;
      var strong = document.createElement("strong");
      strong.className = "code";
      strong.id = "phone-code";
      strong.textContent = grouped(code);
      box.appendChild(text);
      box.appendChild(strong);
      box.hidden = false;
    }
  }, true);
})();
