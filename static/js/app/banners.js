// The banners: "no network" while offline, and "saved copy from <time>" on a stored page.
import { cachedAt, fill, localTime } from "./page.js";

export const offlineBanner = document.getElementById("offline-banner");

function showNetwork() {
  if (offlineBanner) offlineBanner.hidden = navigator.onLine;
}

showNetwork();
window.addEventListener("online", showNetwork);
window.addEventListener("offline", showNetwork);

const cachedBanner = document.getElementById("cached-banner");
if (cachedAt && cachedBanner) {
  cachedBanner.textContent = fill(cachedBanner.dataset.template, localTime(cachedAt));
  cachedBanner.hidden = false;
}
