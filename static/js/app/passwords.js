// A form that holds a password (sign-in, change password, the office's reset) is never kept
// on the phone: offline it is not sent, and the page says that it needs the network. What
// was typed stays in the form.
import { offlineBanner } from "./banners.js";
import { el } from "./page.js";

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.querySelector("input[type=password]") || navigator.onLine) return;
  event.preventDefault();
  event.stopImmediatePropagation();
  let note = form.querySelector(".password-offline");
  if (!note) {
    note = el("p", "error password-offline");
    note.setAttribute("role", "status");
    note.setAttribute("aria-live", "polite");
    form.appendChild(note);
  }
  note.textContent = offlineBanner ? offlineBanner.dataset.password : "";
}, true);

window.addEventListener("online", () => {
  for (const note of document.querySelectorAll(".password-offline")) note.remove();
});
