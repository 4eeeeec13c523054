// The service worker (registered under the asset version, so a release installs a new one)
// and the "install on this phone" hint, shown only when the browser offers installation.
import { meta } from "./page.js";

if (navigator.serviceWorker) {
  navigator.serviceWorker.register("/sw.js?v=" + meta("asset-version"), { scope: "/" })
    .catch(() => null);
}

const hint = document.getElementById("install-hint");
let offer = null;

window.addEventListener("beforeinstallprompt", (event) => {
  event.preventDefault();
  offer = event;
  if (hint) hint.hidden = false;
});

if (hint) {
  hint.addEventListener("click", (event) => {
    if (!event.target.closest("[data-install]") || !offer) return;
    offer.prompt();
    offer = null;
    hint.hidden = true;
  });
}
