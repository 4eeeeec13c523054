// Zhongshu outbox core: forms kept on the phone (IndexedDB) and sent exactly once.
// Loaded by every page (before the modules of static/js/app/) and by the service worker (importScripts), so a form
// kept offline is sent the same way from a page, on reconnect, or by Background Sync.
(function (global) {
  "use strict";
  var DB_NAME = "zhongshu";
  var STORE = "outbox";

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "id" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function inStore(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var request = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function all() { return inStore("readonly", function (s) { return s.getAll(); }); }
  function save(item) { return inStore("readwrite", function (s) { return s.put(item); }); }
  function remove(id) { return inStore("readwrite", function (s) { return s["delete"](id); }); }

  function formBody(item, token) {
    var data = new FormData();
    item.fields.forEach(function (field) {
      if (field.file !== undefined) data.append(field.name, field.value, field.file);
      else data.append(field.name, field.value);
    });
    if (token && data.has("csrf_token")) data.set("csrf_token", token);
    return data;
  }

  function pause(seconds) {
    return new Promise(function (resolve) { setTimeout(resolve, seconds * 1000); });
  }

  // An earlier copy of this form is still being handled (409 + Retry-After): ask again a
  // little later for its answer, a few times, then leave the form waiting for the next replay.
  var BUSY_TRIES = 3;
  function send(item, token, tries) {
    tries = tries === undefined ? BUSY_TRIES : tries;
    return sendOnce(item, token).then(function (outcome) {
      if (!outcome.busy || tries <= 1) return outcome;
      return pause(Math.min(outcome.retryAfter, 10)).then(function () {
        return send(item, token, tries - 1);
      });
    });
  }

  // One attempt. The outcome's state: sent, waiting (no network, server busy), login
  // (session expired or CSRF refused: sign in again) or invalid (the server said no).
  function sendOnce(item, token) {
    var headers = { "X-Outbox-Id": item.id, "Accept": "application/json, text/html;q=0.9" };
    if (token) headers["X-CSRFToken"] = token;
    return fetch(item.url, { method: "POST", body: formBody(item, token), headers: headers,
                             credentials: "same-origin" }).then(function (response) {
      var status = response.status;
      var toLogin = new URL(response.url).pathname === "/login";
      if (response.ok && !toLogin) return { state: "sent", response: response };
      if (toLogin) return { state: "login", status: status };
      if (status >= 500 || status === 429 || status === 408) return { state: "waiting", status: status };
      var retryAfter = parseInt(response.headers.get("Retry-After") || "", 10);
      if (status === 409 && retryAfter >= 0) {
        return { state: "waiting", status: status, busy: true, retryAfter: retryAfter };
      }
      return response.text().then(function (text) {
        var json = null;
        try { json = JSON.parse(text); } catch (e) { json = null; }
        if (status === 401 || (json && (json.error === "csrf" || json.error === "login_required"))) {
          return { state: "login", status: status, login: json && json.login };
        }
        // A refusal: {"errors": {field name: [messages]}}, already in the person's language.
        var fieldErrors = json && json.errors ? json.errors : null;
        var errors = [];
        Object.keys(fieldErrors || {}).forEach(function (name) {
          errors = errors.concat(fieldErrors[name]);
        });
        return { state: "invalid", status: status, errors: errors, fieldErrors: fieldErrors,
                 html: json ? "" : text, response: response };
      });
    }, function () { return { state: "waiting", offline: true }; });
  }

  // Records an outcome. A sent item keeps only its title until the page has said "Sent".
  function settle(item, outcome, token) {
    if (outcome.state === "sent") {
      return save({ id: item.id, user: item.user, title: item.title, state: "sent",
                    url: outcome.response.url, created: item.created });
    }
    item.state = outcome.state;
    item.errors = outcome.errors || [];
    item.fieldErrors = outcome.fieldErrors || null;
    if (outcome.login) item.login = outcome.login;
    if (token && outcome.state !== "login") item.token = token;
    return save(item);
  }

  function withLock(work) {
    var locks = global.navigator && global.navigator.locks;
    return locks ? locks.request("zs-outbox", work) : work();
  }

  // Sends everything waiting, oldest first, and stops at the first sign of no network.
  // options.user: only that person's items; options.token: the page's fresh CSRF token
  // (without it each item's own token is used, and items waiting for sign-in stay put).
  function flush(options) {
    options = options || {};
    return withLock(function () {
      return all().then(function (items) {
        var todo = items.filter(function (item) {
          return (options.user === undefined || item.user === options.user) &&
            (item.state === "waiting" || (item.state === "login" && options.token));
        }).sort(function (a, b) { return a.created < b.created ? -1 : 1; });
        var changed = 0;
        return todo.reduce(function (chain, item) {
          return chain.then(function (offline) {
            if (offline) return true;
            return send(item, options.token || item.token).then(function (outcome) {
              if (outcome.offline) return true;
              changed += 1;
              return settle(item, outcome, options.token).then(function () { return false; });
            });
          });
        }, Promise.resolve(false)).then(function () { return changed; });
      });
    });
  }

  function uuid() {
    if (global.crypto && global.crypto.randomUUID) return global.crypto.randomUUID();
    // Plain-http intranets are not a secure context: build a v4 UUID by hand.
    var b = global.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); });
    return h.slice(0, 4).join("") + "-" + h.slice(4, 6).join("") + "-" + h.slice(6, 8).join("") +
      "-" + h.slice(8, 10).join("") + "-" + h.slice(10).join("");
  }

  // ---- Pages kept for offline use: one cache, shared by the pages and the service worker ----
  var PAGES = "zs-pages-1"; // kept across versions: old copies still render with today's assets

  // A copy is the signed-in person's only while the session it was seen under lasts.
  function expired(copy, now) {
    var until = Date.parse(copy.headers.get("X-Zs-Until") || "");
    return !isNaN(until) && until <= (now === undefined ? Date.now() : now);
  }

  // Every kept page (resolves to [request, copy] pairs); drops those past their session.
  function keptPages() {
    if (!global.caches) return Promise.resolve([]);
    return caches.open(PAGES).then(function (cache) {
      return cache.keys().then(function (requests) {
        return Promise.all(requests.map(function (request) {
          return cache.match(request).then(function (copy) {
            if (copy && !expired(copy)) return [request, copy];
            return cache["delete"](request).then(function () { return null; });
          });
        }));
      });
    }).then(function (pairs) { return pairs.filter(Boolean); });
  }

  // Without `keep`: every page goes; with it, all but that person's own.
  function forgetPages(keep) {
    if (!global.caches) return Promise.resolve(false);
    if (!keep) return caches["delete"](PAGES);
    return caches.open(PAGES).then(function (cache) {
      return keptPages().then(function (pairs) {
        return Promise.all(pairs.map(function (pair) {
          return pair[1].headers.get("X-Zs-User") === keep ? null : cache["delete"](pair[0]);
        }));
      });
    });
  }

  // Sign-out: the person's pages and their waiting forms (photos too) leave the phone.
  function forgetPerson(user) {
    return forgetPages().then(function () { return all(); }).then(function (items) {
      return Promise.all(items.filter(function (item) { return item.user === user; })
        .map(function (item) { return remove(item.id); }));
    });
  }

  global.zhongshuOutboxCore = {
    all: all, save: save, remove: remove, send: send, settle: settle, flush: flush,
    withLock: withLock, uuid: uuid, PAGES: PAGES, expired: expired, keptPages: keptPages,
    forgetPages: forgetPages, forgetPerson: forgetPerson
  };
})(self);
