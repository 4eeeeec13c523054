// Pages kept for offline use: only the signed-in person's, and the offline page lists them.
import { cachedAt, core, el, fallback, fill, localTime, user } from "./page.js";

// Someone else signed in on this phone: the pages kept for anyone else go.
if (user && !cachedAt && !fallback) {
  const previous = localStorage.getItem("zs-user");
  if (previous && previous !== user) core.forgetPages(user);
  localStorage.setItem("zs-user", user);
}

const list = document.getElementById("offline-pages");

async function listKeptPages() {
  const copies = (await core.keptPages()).map((pair) => pair[1]);
  copies.sort((a, b) => (a.headers.get("X-Zs-Stored") < b.headers.get("X-Zs-Stored") ? 1 : -1));
  for (const copy of copies) {
    const item = el("li");
    const title = decodeURIComponent(copy.headers.get("X-Zs-Title") || "");
    const link = el("a", "", title || copy.headers.get("X-Zs-Url"));
    link.href = copy.headers.get("X-Zs-Url");
    item.appendChild(link);
    const stored = localTime(copy.headers.get("X-Zs-Stored"));
    item.appendChild(el("span", "muted", " · " + fill(list.dataset.saved, stored)));
    list.appendChild(item);
  }
  if (!copies.length) list.appendChild(el("li", "muted", list.dataset.empty));
}

if (list && self.caches) listKeptPages();
