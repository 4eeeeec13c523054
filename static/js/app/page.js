// What every part of the page script shares: who is signed in, the page's texts, small helpers.
// The outbox core (static/js/outbox.js, a classic script the service worker imports too) is
// loaded before these modules and leaves itself on `self`.

export const core = self.zhongshuOutboxCore;
export const user = document.body.dataset.user;
export const cachedAt = document.body.dataset.cachedAt; // set by the service worker on a copy
export const fallback = Boolean(document.body.dataset.offlineFallback);

const statusAtLoad = document.getElementById("outbox-status");
export const texts = statusAtLoad ? statusAtLoad.dataset : {}; // the outbox's words, its zone

export function meta(name) {
  const tag = document.querySelector(`meta[name="${name}"]`);
  return tag ? tag.content : "";
}

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

export function fill(template, time) {
  return (template || "{time}").replace("{time}", time);
}

export function localTime(iso) {
  const options = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit",
                    minute: "2-digit", timeZone: texts.tz || undefined };
  try {
    return new Date(iso).toLocaleString(document.documentElement.lang, options);
  } catch (e) {
    return new Date(iso).toLocaleString();
  }
}
