// Signing out needs the server (it ends the session there). Offline, the browser would only
// show its own network error page: what the phone keeps is still dropped, but the page stays
// and says why, in its own language (the server put the text on the form). The live region
// exists before it is filled, so screen readers announce it.
import { offlineBanner } from "./banners.js";
import { core, el, user } from "./page.js";

const notes = [];
for (const form of document.querySelectorAll("form[data-logout]")) {
  const note = el("span", "error logout-offline");
  note.setAttribute("role", "status");
  note.setAttribute("aria-live", "polite");
  form.appendChild(note);
  notes.push(note);
}

function offlineText(form) {
  return form.getAttribute("data-offline-text") || (offlineBanner ? offlineBanner.textContent : "");
}

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!form.hasAttribute("data-logout")) return;
  event.preventDefault();
  const note = form.querySelector(".logout-offline");
  const offline = !navigator.onLine;
  if (note) note.textContent = "";
  localStorage.removeItem("zs-user");
  // Nothing of a person who signed out stays on the phone: their pages and their waiting
  // forms (with photos). The service worker does the same when it sees the sign-out.
  try {
    await core.forgetPerson(user);
  } catch (e) {
    // signed out all the same
  }
  if (!offline) form.submit();
  else if (note) note.textContent = offlineText(form);
});

window.addEventListener("online", () => {
  for (const note of notes) note.textContent = "";
});
