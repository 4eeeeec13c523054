// Zhongshu outbox core: forms kept on the phone (IndexedDB) and sent exactly once.
// Loaded by every page (before app.js) and by the service worker (importScripts), so a form
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

  function decode(text) {
    var named = { amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: " " };
    return text.replace(/<[^>]*>/g, "").replace(/&(#x?[0-9a-f]+|\w+);/gi, function (m, code) {
      if (code[0] !== "#") return named[code] || m;
      return String.fromCharCode(code[1] === "x" || code[1] === "X" ?
        parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10));
    }).replace(/\s+/g, " ").trim();
  }

  // The messages the server put beside the fields ([data-error]), as plain text.
  function errorsIn(html) {
    var found = [];
    var pattern = /<(\w+)\b[^>]*\sdata-error\b[^>]*>([\s\S]*?)<\/\1>/g;
    var match;
    while ((match = pattern.exec(html))) found.push(decode(match[2]));
    return found;
  }

  function formBody(item, token) {
    var data = new FormData();
    item.fields.forEach(function (field) {
      if (field.file !== undefined) data.append(field.name, field.value, field.file);
      else data.append(field.name, field.value);
    });
    if (token && data.has("csrf_token")) data.set("csrf_token", token);
    return data;
  }

  // One attempt. The outcome's state: sent, waiting (no network, server busy), login
  // (session expired or CSRF refused: sign in again) or invalid (the server said no).
  function send(item, token) {
    var headers = { "X-Outbox-Id": item.id };
    if (token) headers["X-CSRFToken"] = token;
    return fetch(item.url, { method: "POST", body: formBody(item, token), headers: headers,
                             credentials: "same-origin" }).then(function (response) {
      var status = response.status;
      var toLogin = new URL(response.url).pathname === "/login";
      if (response.ok && !toLogin) return { state: "sent", response: response };
      if (toLogin) return { state: "login", status: status };
      if (status >= 500 || status === 429 || status === 408) return { state: "waiting", status: status };
      return response.text().then(function (text) {
        var json = null;
        try { json = JSON.parse(text); } catch (e) { json = null; }
        if (status === 401 || (json && (json.error === "csrf" || json.error === "login_required"))) {
          return { state: "login", status: status, login: json && json.login };
        }
        return { state: "invalid", status: status, errors: errorsIn(text), html: text,
                 response: response };
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

  global.zhongshuOutboxCore = {
    all: all, save: save, remove: remove, send: send, settle: settle, flush: flush,
    withLock: withLock, uuid: uuid, PAGES: "zs-pages-1"
  };
})(self);
