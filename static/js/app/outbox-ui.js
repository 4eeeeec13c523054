// The outbox in the page: a data-outbox form is stored on the phone first, then sent when it
// can be; the page lists what waits, says what was refused and why, and opens it again.
// Sending, storing and replaying live in static/js/outbox.js, shared with the service worker.
import { cachedAt, core, el, fallback, meta, texts, user } from "./page.js";

const { all, save, remove, send, settle, flush, withLock, uuid } = core;

function statusBox() {
  return document.getElementById("outbox-status"); // replaced with the page shown in place
}

async function mine() {
  return (await all()).filter((item) => item.user === user);
}

function stateText(item) {
  return { waiting: texts.waiting, login: texts.login, invalid: texts.invalid,
           sent: texts.sent }[item.state] || "";
}

function button(text, action, id) {
  const node = el("button", "linklike", text);
  node.type = "button";
  node.setAttribute("data-outbox-action", action);
  node.value = id;
  return node;
}

function entry(item) {
  const failed = item.state === "login" || item.state === "invalid";
  const box = el("div", "outbox-item" + (failed ? " failed" : ""));
  box.setAttribute("data-outbox-item", item.id);
  box.setAttribute("data-state", item.state);
  box.appendChild(el("strong", "", item.title));
  box.appendChild(el("span", "", stateText(item)));
  if (item.errors && item.errors.length) {
    const errors = el("ul", "outbox-errors");
    for (const text of item.errors) errors.appendChild(el("li", "", text));
    box.appendChild(errors);
  }
  if (item.state === "login") {
    const signIn = el("a", "", texts.signin);
    signIn.href = "/login?next=" + encodeURIComponent(location.pathname + location.search);
    box.appendChild(signIn);
  }
  if (item.state === "invalid") box.appendChild(button(texts.edit, "edit", item.id));
  if (item.state !== "sent") box.appendChild(button(texts.discard, "discard", item.id));
  return box;
}

async function render() {
  const box = statusBox();
  if (!box || !user) return;
  const items = await mine();
  items.sort((a, b) => (a.created < b.created ? -1 : 1));
  box.textContent = "";
  for (const item of items) box.appendChild(entry(item));
  box.hidden = !items.length;
  // "Sent" is said once; then the entry goes.
  await Promise.all(items.filter((item) => item.state === "sent").map((item) => remove(item.id)));
}

document.addEventListener("click", async (event) => {
  const target = event.target.closest("#outbox-status [data-outbox-action]");
  if (!target) return;
  if (target.dataset.outboxAction === "discard") {
    await remove(target.value);
    await render();
    return;
  }
  const item = (await mine()).find((i) => i.id === target.value);
  if (!item) return;
  if (item.page === location.pathname + location.search) {
    location.hash = "outbox-" + item.id;
    refill();
  } else {
    location.assign(item.page + "#outbox-" + item.id);
  }
});

function actionOf(form) {
  return form.action.split("#")[0];
}

function putBack(form, field, files) {
  const input = form.elements[field.name];
  if (!input || field.name === "csrf_token") return;
  if (field.file !== undefined) {
    files[field.name] = files[field.name] || new DataTransfer();
    if (field.value.size) {
      files[field.name].items.add(new File([field.value], field.file, { type: field.value.type }));
    }
    return;
  }
  const inputs = input.length !== undefined && !input.options ? Array.from(input) : [input];
  for (const one of inputs) {
    if (one.type === "checkbox" || one.type === "radio") {
      if (one.value === field.value) one.checked = true;
    } else if (one.multiple && one.options) {
      for (const option of one.options) if (option.value === field.value) option.selected = true;
    } else {
      one.value = field.value;
    }
  }
}

// "Open the form": put the stored values back so the person can fix and send again.
async function refill() {
  const match = /^#outbox-(.+)$/.exec(location.hash);
  if (!match || !user) return;
  const item = (await mine()).find((i) => i.id === match[1]);
  const form = item && Array.from(document.querySelectorAll("form[data-outbox]"))
    .find((f) => actionOf(f) === item.url);
  if (!form || !item.fields) return;
  const files = {};
  for (const field of item.fields) putBack(form, field, files);
  for (const name of Object.keys(files)) {
    try {
      form.elements[name].files = files[name].files;
    } catch (e) {
      // an older browser cannot put files back: the person chooses them again
    }
  }
  form.dataset.outboxReplaces = item.id;
  if (item.fieldErrors) showErrors(form, item.fieldErrors);
}

// The server's refusal ({field name: [messages]}, a JSON 422) beside each field, as the page's
// own form macro puts it: .has-error on the field, p.error#<id>-error, aria-invalid.
function showErrors(form, errors) {
  for (const node of form.querySelectorAll("[data-error]")) node.remove();
  for (const node of form.querySelectorAll(".has-error")) node.classList.remove("has-error");
  for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  let first = null;
  for (const name of Object.keys(errors)) {
    let input = name ? form.elements[name] : null;
    if (input && input.length !== undefined && !input.options) input = input[0];
    const box = input ? (input.closest(".field") || input.parentNode) : form;
    const id = (input && input.id ? input.id : name || "form") + "-error";
    if (box) box.classList.add("has-error");
    errors[name].forEach((text, index) => {
      const note = el("p", "error", text);
      note.setAttribute("data-error", "");
      if (index === 0) note.id = id;
      if (box === form) form.insertBefore(note, form.firstChild);
      else box.appendChild(note);
    });
    if (input) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", id);
      first = first || input;
    }
  }
  if (first) first.focus();
}

function titleOf(form) {
  const heading = document.querySelector("main h1");
  return form.dataset.outbox || (heading ? heading.textContent.trim() : document.title);
}

function fieldsOf(form, submitter) {
  let data;
  try {
    data = new FormData(form, submitter);
  } catch (e) {
    data = new FormData(form);
  }
  const fields = [];
  data.forEach((value, name) => {
    if (typeof value === "string") fields.push({ name, value });
    else fields.push({ name, value, file: value.name });
  });
  return fields;
}

// Shows the server's page in place (a 2xx answer without redirect, or a 422 with the form).
// Like hx-boost: the flash message of the answer is shown, not lost to a second request.
function showPage(html) {
  const doc = new DOMParser().parseFromString(html, "text/html");
  const main = doc.getElementById("main");
  const here = document.getElementById("main");
  const token = doc.querySelector('meta[name="csrf-token"]');
  if (!main || !here) return;
  document.title = doc.title;
  if (token) document.querySelector('meta[name="csrf-token"]').content = token.content;
  here.replaceChildren(...main.childNodes);
  here.focus();
  window.scrollTo(0, 0);
  render();
}

async function askForSync() {
  if (!navigator.serviceWorker) return;
  try {
    const registration = await navigator.serviceWorker.ready;
    if (registration.sync) await registration.sync.register("zs-outbox");
  } catch (e) {
    // no Background Sync: the next page load or "online" sends it
  }
}

// Back after an answer shown in place (pushState): load that page for real.
let pushed = false;
window.addEventListener("popstate", () => {
  if (pushed) location.reload();
});

async function answered(form, item, outcome) {
  if (outcome.state === "sent") {
    await remove(item.id);
    const html = await outcome.response.text();
    if (outcome.response.redirected) {
      history.pushState(null, "", outcome.response.url);
      pushed = true;
    }
    showPage(html);
  } else if (outcome.state === "invalid" && outcome.fieldErrors) {
    // Sent live and refused: the errors go beside the fields, which keep what was typed;
    // nothing is kept on the phone.
    await remove(item.id);
    showErrors(form, outcome.fieldErrors);
  } else if (outcome.state === "invalid" && outcome.status === 422) {
    await remove(item.id);
    showPage(outcome.html);
  } else if (outcome.state === "waiting") {
    form.reset();
    askForSync();
    await render();
  } else {
    await settle(item, outcome);
    await render();
  }
}

// A data-outbox form always goes through here: stored first, then sent if it can be.
document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!form.hasAttribute("data-outbox") || !user || !self.indexedDB) return;
  if (form.querySelector("input[type=password]")) return; // never kept: see passwords.js
  event.preventDefault();
  const buttons = form.querySelectorAll("button, input[type=submit]");
  const item = { id: uuid(), user, url: actionOf(form), title: titleOf(form),
                 page: location.pathname + location.search, token: meta("csrf-token"),
                 created: new Date().toISOString(), state: "waiting", errors: [],
                 fields: fieldsOf(form, event.submitter) };
  const replaces = form.dataset.outboxReplaces;
  for (const b of buttons) b.disabled = true;
  try {
    await save(item);
    if (replaces) await remove(replaces);
    const token = cachedAt ? item.token : meta("csrf-token");
    const outcome = await withLock(() => send(item, token));
    for (const b of buttons) b.disabled = false;
    await answered(form, item, outcome);
  } catch (e) {
    for (const b of buttons) b.disabled = false;
    render();
  }
});

// Replays: page load, back online, and whenever the service worker sent something.
async function replay() {
  if (!user || fallback) return 0;
  // A stored copy's token may belong to an older session: then each item's own is used.
  const changed = await flush({ user, token: cachedAt ? undefined : meta("csrf-token") });
  await render();
  return changed;
}

// For the browser tests and the service worker's pages: how many wait, and "send now".
window.zhongshuOutbox = {
  flush: replay,
  count: async () => (await mine()).filter((item) => item.state !== "sent").length,
};

window.addEventListener("online", replay);
if (navigator.serviceWorker) {
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data && event.data.type === "outbox") render();
  });
}

if (self.indexedDB) replay().then(refill, refill);
