// Zhongshu: the page script. No framework; works under script-src 'self'.
// Needs static/js/outbox.js (the outbox core shared with the service worker) loaded first.
(function (global) {
  "use strict";
  var core = global.zhongshuOutboxCore;
  var all = core.all, save = core.save, remove = core.remove, send = core.send;
  var settle = core.settle, flush = core.flush, withLock = core.withLock, uuid = core.uuid;

  // ---- In the page ------------------------------------------------------------------------
  var body = document.body;
  var user = body.dataset.user;
  var cachedAt = body.dataset.cachedAt; // set by the service worker on a stored copy
  var fallback = !!body.dataset.offlineFallback;
  var statusBox = document.getElementById("outbox-status");
  var texts = statusBox ? statusBox.dataset : {};

  function meta(name) {
    var tag = document.querySelector('meta[name="' + name + '"]');
    return tag ? tag.content : "";
  }

  // CSRF for htmx requests: the token comes from the page's meta tag.
  document.addEventListener("htmx:config:request", function (event) {
    event.detail.ctx.request.headers["X-CSRFToken"] = meta("csrf-token");
  });

  function fill(template, time) { return (template || "{time}").replace("{time}", time); }

  function localTime(iso) {
    var options = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit",
                    minute: "2-digit", timeZone: texts.tz || undefined };
    try { return new Date(iso).toLocaleString(document.documentElement.lang, options); }
    catch (e) { return new Date(iso).toLocaleString(); }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // ---- Banners ----
  var offlineBanner = document.getElementById("offline-banner");
  function showNetwork() { if (offlineBanner) offlineBanner.hidden = navigator.onLine; }
  showNetwork();
  var cachedBanner = document.getElementById("cached-banner");
  if (cachedAt && cachedBanner) {
    cachedBanner.textContent = fill(cachedBanner.dataset.template, localTime(cachedAt));
    cachedBanner.hidden = false;
  }

  // ---- Cached pages: the person's own, dropped on sign-out or when someone else signs in ----
  var forgetPages = core.forgetPages;

  if (user && !cachedAt && !fallback) {
    var previous = localStorage.getItem("zs-user");
    if (previous && previous !== user) forgetPages(user);
    localStorage.setItem("zs-user", user);
  }

  // Signing out needs the server (it ends the session there). Offline, the browser would only
  // show its own network error page: what the phone keeps is still dropped, but the page stays
  // and says why, in its own language (the server put the text on the form). The live region
  // exists before it is filled, so screen readers announce it.
  var logoutNotes = [];
  Array.prototype.forEach.call(document.querySelectorAll("form[data-logout]"), function (form) {
    var note = el("span", "error logout-offline");
    note.setAttribute("role", "status");
    note.setAttribute("aria-live", "polite");
    form.appendChild(note);
    logoutNotes.push(note);
  });
  function offlineLogoutText(form) {
    return form.getAttribute("data-offline-text") || (offlineBanner ? offlineBanner.textContent : "");
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-logout")) return;
    event.preventDefault();
    var note = form.querySelector(".logout-offline");
    var offline = !navigator.onLine;
    if (note) note.textContent = "";
    localStorage.removeItem("zs-user");
    function leave() {
      if (!offline) form.submit();
      else if (note) note.textContent = offlineLogoutText(form);
    }
    // Nothing of a person who signed out stays on the phone: their pages and their waiting
    // forms (with photos). The service worker does the same when it sees the sign-out.
    core.forgetPerson(user).then(leave, leave);
  });

  // A form that holds a password (sign-in, change password, the office's reset) is never kept
  // on the phone: offline it is not sent, and the page says that it needs the network. What
  // was typed stays in the form.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.querySelector("input[type=password]") || navigator.onLine) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    var note = form.querySelector(".password-offline");
    if (!note) {
      note = el("p", "error password-offline");
      note.setAttribute("role", "status");
      note.setAttribute("aria-live", "polite");
      form.appendChild(note);
    }
    note.textContent = offlineBanner ? offlineBanner.dataset.password : "";
  }, true);

  // ---- The offline page lists what is available ----
  var list = document.getElementById("offline-pages");
  if (list && global.caches) {
    core.keptPages().then(function (pairs) {
      var copies = pairs.map(function (pair) { return pair[1]; });
      copies.sort(function (a, b) {
        return a.headers.get("X-Zs-Stored") < b.headers.get("X-Zs-Stored") ? 1 : -1;
      });
      copies.forEach(function (copy) {
        var item = el("li");
        var link = el("a", "", decodeURIComponent(copy.headers.get("X-Zs-Title") || "") ||
                      copy.headers.get("X-Zs-Url"));
        link.href = copy.headers.get("X-Zs-Url");
        item.appendChild(link);
        item.appendChild(el("span", "muted", " · " + fill(list.dataset.saved,
                                                         localTime(copy.headers.get("X-Zs-Stored")))));
        list.appendChild(item);
      });
      if (!copies.length) list.appendChild(el("li", "muted", list.dataset.empty));
    });
  }

  // ---- Outbox in the page ----
  function mine() {
    return all().then(function (items) {
      return items.filter(function (item) { return item.user === user; });
    });
  }

  function stateText(item) {
    return { waiting: texts.waiting, login: texts.login, invalid: texts.invalid,
             sent: texts.sent }[item.state] || "";
  }

  function render() {
    if (!statusBox || !user) return Promise.resolve();
    return mine().then(function (items) {
      statusBox.textContent = "";
      items.sort(function (a, b) { return a.created < b.created ? -1 : 1; });
      items.forEach(function (item) {
        var failed = item.state === "login" || item.state === "invalid";
        var box = el("div", "outbox-item" + (failed ? " failed" : ""));
        box.setAttribute("data-outbox-item", item.id);
        box.setAttribute("data-state", item.state);
        box.appendChild(el("strong", "", item.title));
        box.appendChild(el("span", "", stateText(item)));
        if (item.errors && item.errors.length) {
          var errors = el("ul", "outbox-errors");
          item.errors.forEach(function (text) { errors.appendChild(el("li", "", text)); });
          box.appendChild(errors);
        }
        if (item.state === "login") {
          var signIn = el("a", "", texts.signin);
          signIn.href = "/login?next=" + encodeURIComponent(location.pathname + location.search);
          box.appendChild(signIn);
        }
        if (item.state === "invalid") box.appendChild(button(texts.edit, "edit", item.id));
        if (item.state !== "sent") box.appendChild(button(texts.discard, "discard", item.id));
        statusBox.appendChild(box);
      });
      statusBox.hidden = !items.length;
      // "Sent" is said once; then the entry goes.
      return Promise.all(items.filter(function (item) { return item.state === "sent"; })
        .map(function (item) { return remove(item.id); }));
    });
  }

  function button(text, action, id) {
    var node = el("button", "linklike", text);
    node.type = "button";
    node.setAttribute("data-outbox-action", action);
    node.value = id;
    return node;
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest("#outbox-status [data-outbox-action]");
    if (!target) return;
    if (target.dataset.outboxAction === "discard") remove(target.value).then(render);
    else mine().then(function (items) {
      var item = items.filter(function (i) { return i.id === target.value; })[0];
      if (!item) return;
      if (item.page === location.pathname + location.search) {
        location.hash = "outbox-" + item.id;
        refill();
      } else {
        location.assign(item.page + "#outbox-" + item.id);
      }
    });
  });

  // "Open the form": put the stored values back so the person can fix and send again.
  function refill() {
    var match = /^#outbox-(.+)$/.exec(location.hash);
    if (!match || !user) return;
    mine().then(function (items) {
      var item = items.filter(function (i) { return i.id === match[1]; })[0];
      var form = item && Array.prototype.filter.call(
        document.querySelectorAll("form[data-outbox]"),
        function (f) { return actionOf(f) === item.url; })[0];
      if (!form || !item.fields) return;
      var files = {};
      item.fields.forEach(function (field) {
        var input = form.elements[field.name];
        if (!input || field.name === "csrf_token") return;
        if (field.file !== undefined) {
          files[field.name] = files[field.name] || new DataTransfer();
          if (field.value.size) {
            files[field.name].items.add(new File([field.value], field.file, { type: field.value.type }));
          }
          return;
        }
        var inputs = input.length !== undefined && !input.options ? input : [input];
        Array.prototype.forEach.call(inputs, function (one) {
          if (one.type === "checkbox" || one.type === "radio") {
            if (one.value === field.value) one.checked = true;
          } else if (one.multiple && one.options) {
            Array.prototype.forEach.call(one.options, function (o) {
              if (o.value === field.value) o.selected = true;
            });
          } else {
            one.value = field.value;
          }
        });
      });
      Object.keys(files).forEach(function (name) {
        try { form.elements[name].files = files[name].files; } catch (e) { /* older browser */ }
      });
      form.dataset.outboxReplaces = item.id;
      if (item.fieldErrors) showErrors(form, item.fieldErrors);
    });
  }

  // The server's refusal ({field name: [messages]}) beside each field, as the page's own
  // form macro puts it: .has-error on the field, p.error#<id>-error, aria-invalid.
  function showErrors(form, errors) {
    Array.prototype.forEach.call(form.querySelectorAll("[data-error]"), function (node) {
      node.remove();
    });
    Array.prototype.forEach.call(form.querySelectorAll(".has-error"), function (node) {
      node.classList.remove("has-error");
    });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (node) {
      node.removeAttribute("aria-invalid");
    });
    var first = null;
    Object.keys(errors).forEach(function (name) {
      var input = name ? form.elements[name] : null;
      if (input && input.length !== undefined && !input.options) input = input[0];
      var box = input ? (input.closest(".field") || input.parentNode) : form;
      var id = (input && input.id ? input.id : name || "form") + "-error";
      if (box) box.classList.add("has-error");
      errors[name].forEach(function (text, index) {
        var note = el("p", "error", text);
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
    });
    if (first) first.focus();
  }

  function actionOf(form) { return form.action.split("#")[0]; }

  function titleOf(form) {
    var heading = document.querySelector("main h1");
    return form.dataset.outbox || (heading ? heading.textContent.trim() : document.title);
  }

  function fieldsOf(form, submitter) {
    var data;
    try { data = new FormData(form, submitter); } catch (e) { data = new FormData(form); }
    var fields = [];
    data.forEach(function (value, name) {
      if (typeof value === "string") fields.push({ name: name, value: value });
      else fields.push({ name: name, value: value, file: value.name });
    });
    return fields;
  }

  // Shows the server's page in place (a 2xx answer without redirect, or a 422 with the form).
  // Like hx-boost: the flash message of the answer is shown, not lost to a second request.
  function showPage(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var main = doc.getElementById("main");
    var here = document.getElementById("main");
    var token = doc.querySelector('meta[name="csrf-token"]');
    if (!main || !here) return;
    document.title = doc.title;
    if (token) document.querySelector('meta[name="csrf-token"]').content = token.content;
    here.replaceChildren.apply(here, Array.prototype.slice.call(main.childNodes));
    statusBox = document.getElementById("outbox-status");
    here.focus();
    window.scrollTo(0, 0);
    render();
  }

  function askForSync() {
    if (!navigator.serviceWorker) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register("zs-outbox");
      return null;
    })["catch"](function () { return null; });
  }

  // A data-outbox form always goes through here: stored first, then sent if it can be.
  var pushed = false;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-outbox") || !user || !global.indexedDB) return;
    if (form.querySelector("input[type=password]")) return; // never kept: see above
    event.preventDefault();
    var buttons = form.querySelectorAll("button, input[type=submit]");
    var item = { id: uuid(), user: user, url: actionOf(form), title: titleOf(form),
                 page: location.pathname + location.search, token: meta("csrf-token"),
                 created: new Date().toISOString(), state: "waiting", errors: [],
                 fields: fieldsOf(form, event.submitter) };
    var replaces = form.dataset.outboxReplaces;
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
    save(item).then(function () {
      return replaces ? remove(replaces) : null;
    }).then(function () {
      return withLock(function () { return send(item, cachedAt ? item.token : meta("csrf-token")); });
    }).then(function (outcome) {
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
      if (outcome.state === "sent") {
        return remove(item.id).then(function () { return outcome.response.text(); })
          .then(function (html) {
            if (outcome.response.redirected) {
              history.pushState(null, "", outcome.response.url);
              pushed = true;
            }
            showPage(html);
          });
      }
      if (outcome.state === "invalid" && outcome.fieldErrors) {
        // Sent live and refused: the errors go beside the fields, which keep what was typed;
        // nothing is kept on the phone.
        return remove(item.id).then(function () { showErrors(form, outcome.fieldErrors); });
      }
      if (outcome.state === "invalid" && outcome.status === 422) {
        return remove(item.id).then(function () { showPage(outcome.html); });
      }
      if (outcome.state === "waiting") {
        form.reset();
        askForSync();
        return render();
      }
      return settle(item, outcome).then(render);
    }).then(null, function () {
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
      render();
    });
  });

  // ---- Replays: page load, back online, and whenever the service worker sent something ----
  function replay() {
    if (!user || fallback) return Promise.resolve(0);
    // A stored copy's token may belong to an older session: then each item's own is used.
    return flush({ user: user, token: cachedAt ? undefined : meta("csrf-token") })
      .then(function (changed) { return render().then(function () { return changed; }); });
  }

  global.zhongshuOutbox = {
    flush: replay,
    count: function () {
      return mine().then(function (items) {
        return items.filter(function (item) { return item.state !== "sent"; }).length;
      });
    }
  };

  // Back after an answer shown in place (pushState): load that page for real.
  window.addEventListener("popstate", function () { if (pushed) location.reload(); });
  window.addEventListener("online", function () {
    showNetwork();
    logoutNotes.forEach(function (note) { note.textContent = ""; });
    Array.prototype.forEach.call(document.querySelectorAll(".password-offline"),
                                 function (note) { note.remove(); });
    replay();
  });
  window.addEventListener("offline", showNetwork);

  // ---- Service worker and the install hint ----
  if (navigator.serviceWorker) {
    navigator.serviceWorker.register("/sw.js?v=" + meta("asset-version"), { scope: "/" })
      ["catch"](function () { return null; });
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "outbox") render();
    });
  }

  var installHint = document.getElementById("install-hint");
  var installPrompt = null;
  window.addEventListener("beforeinstallprompt", function (event) {
    event.preventDefault();
    installPrompt = event;
    if (installHint) installHint.hidden = false;
  });
  if (installHint) {
    installHint.addEventListener("click", function (event) {
      if (!event.target.closest("[data-install]") || !installPrompt) return;
      installPrompt.prompt();
      installPrompt = null;
      installHint.hidden = true;
    });
  }

  if (global.indexedDB) replay().then(refill, refill);
})(self);
