// Zhongshu service worker: hand-written, no build step. Registered as /sw.js?v=<asset version>.
// Static assets: cache-first in a cache named by the version. Pages: network-first, the last
// copy kept (unless the page is marked data-no-cache) and served offline with its time, only to
// the person it belongs to.
// The outbox (static/js/outbox.js, also loaded by pages) is replayed on start, message and sync.
"use strict";

var VERSION = new URL(self.location.href).searchParams.get("v") || "dev";
var STATIC = "zs-static-" + VERSION;
var STATE = "zs-state"; // who the last page from the network was for (kept across versions)
var WHO = "/__zs-who";
var OFFLINE_URL = "/offline";
var SLOW_NETWORK_MS = 8000; // past this, a saved copy beats waiting in a dead spot

importScripts("/static/js/outbox.js?v=" + VERSION);
var outbox = self.zhongshuOutboxCore;
var PAGES = outbox.PAGES; // the page cache, its expiry and purge live in outbox.js

// The offline page names every asset a page needs (it extends base.html): cache those.
function precache() {
  return caches.open(STATIC).then(function (cache) {
    return fetch(OFFLINE_URL, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) throw new Error("offline page " + response.status);
      return response.clone().text().then(function (html) {
        var urls = [];
        html.replace(/(?:href|src)="(\/static\/[^"]+)"/g, function (match, url) {
          url = url.replace(/&amp;/g, "&");
          if (urls.indexOf(url) < 0) urls.push(url); // addAll refuses duplicates
          return match;
        });
        return cache.addAll(urls).then(function () {
          return cache.put(OFFLINE_URL, stamp(response, html, OFFLINE_URL));
        });
      });
    });
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(precache().then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.map(function (name) {
        if (name.indexOf("zs-static-") === 0 && name !== STATIC) return caches.delete(name);
        return null;
      }));
    }).then(function () { return self.clients.claim(); }).then(replay)
  );
});

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "flush") event.waitUntil(replay());
});

self.addEventListener("sync", function (event) {
  if (event.tag === "zs-outbox") event.waitUntil(replay());
});

// The worker starts (after the browser stopped it, or on a new phone start): send what waits.
replay();

// Sends what waits with the CSRF token stored beside each item: a token from an older session
// fails, so nothing is ever sent as someone else; the page resends those after sign-in.
function replay() {
  return outbox.flush({}).then(function (changed) {
    if (!changed) return null;
    return self.clients.matchAll({ type: "window" }).then(function (clients) {
      clients.forEach(function (client) { client.postMessage({ type: "outbox" }); });
    });
  }).catch(function () { return null; });
}

// The "Add to home screen" start URL is the home page with a marker: one cached copy for both.
function pageKey(url) {
  var u = new URL(url);
  u.searchParams.delete("source");
  u.hash = "";
  return u.href;
}

function titleOf(html) {
  var match = /<title>([\s\S]*?)<\/title>/i.exec(html);
  // "Menu · Zhongshu" -> "Menu": the list on the offline page is all Zhongshu anyway.
  return match ? match[1].replace(/\s+/g, " ").replace(/ · [^·]*$/, "").trim() : "";
}

function langOf(html) {
  var match = /<html[^>]*\slang="([^"]*)"/i.exec(html);
  return match ? match[1] : "";
}

function userOf(html) {
  var match = /<body[^>]*\sdata-user="([^"]*)"/i.exec(html);
  return match ? match[1] : "";
}

// The signed-in person, as the pages from the network say. The page script also drops the
// previous person's copies, but only if it runs: the worker sees every page and checks too.
function signedIn() {
  return caches.open(STATE).then(function (cache) { return cache.match(WHO); })
    .then(function (stored) { return stored ? stored.text() : ""; });
}

// Someone else signed in on this phone: forget the pages kept for anyone else.
function rememberUser(user) {
  if (!user) return Promise.resolve(null); // the login page: the phone's person is unchanged
  return signedIn().then(function (previous) {
    if (previous === user) return null;
    return outbox.forgetPages(user).then(function () {
      return caches.open(STATE).then(function (cache) { return cache.put(WHO, new Response(user)); });
    });
  });
}

// A copy of the page with the time it was stored; headers keep the CSP of the original.
function stamp(response, html, url) {
  var headers = new Headers(response.headers);
  headers.set("X-Zs-Stored", new Date().toISOString());
  headers.set("X-Zs-Title", encodeURIComponent(titleOf(html)));
  headers.set("X-Zs-Lang", langOf(html));
  headers.set("X-Zs-Url", url);
  headers.set("X-Zs-User", userOf(html));
  // Until when the session this page was seen under lasts (the server says): not shown after.
  headers.set("X-Zs-Until", response.headers.get("X-Zs-Session-Until") || "");
  headers.delete("Set-Cookie");
  return new Response(html, { status: 200, statusText: "OK", headers: headers });
}

function mayKeep(response, html) {
  var cacheControl = response.headers.get("Cache-Control") || "";
  var body = /<body[^>]*>/i.exec(html);
  return response.status === 200 && response.type === "basic" &&
    (response.headers.get("Content-Type") || "").indexOf("text/html") === 0 &&
    cacheControl.indexOf("no-store") < 0 &&
    !!body && !/\sdata-no-cache=/.test(body[0]) && !/\sdata-offline-fallback=/.test(body[0]);
}

function keep(response) {
  return response.text().then(function (html) {
    var url = pageKey(response.url);
    return rememberUser(response.type === "basic" ? userOf(html) : "").then(function () {
      if (!mayKeep(response, html)) {
        return caches.open(PAGES).then(function (cache) { return cache.delete(url); });
      }
      return caches.open(PAGES).then(function (cache) {
        return cache.put(url, stamp(response, html, url));
      }).then(function () { return refreshOfflinePage(langOf(html)); });
    });
  });
}

// The offline page speaks the person's language: fetch it again when they switch.
function refreshOfflinePage(lang) {
  return caches.open(STATIC).then(function (cache) {
    return cache.match(OFFLINE_URL).then(function (stored) {
      if (stored && stored.headers.get("X-Zs-Lang") === lang) return null;
      return fetch(OFFLINE_URL, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) return null;
        return response.text().then(function (html) {
          return cache.put(OFFLINE_URL, stamp(response, html, OFFLINE_URL));
        });
      });
    });
  }).catch(function () { return null; });
}

// Only the signed-in person's own copy: never someone else's page, whatever the cache holds.
function storedCopy(request) {
  return Promise.all([
    caches.open(PAGES).then(function (cache) { return cache.match(pageKey(request.url)); }),
    signedIn()
  ]).then(function (found) {
    var copy = found[0];
    if (copy && outbox.expired(copy)) {
      // The session it was saved under has ended: nobody sees it again.
      return caches.open(PAGES).then(function (cache) {
        return cache["delete"](pageKey(request.url));
      }).then(function () { return undefined; });
    }
    return copy && found[1] && copy.headers.get("X-Zs-User") === found[1] ? copy : undefined;
  });
}

// Sign-out is a form POST: whatever the page script managed, the worker forgets the person too
// (pages, their waiting forms, who was signed in).
function signOut(event) {
  var done = signedIn().then(function (user) {
    return user ? outbox.forgetPerson(user) : outbox.forgetPages();
  }).then(function () {
    return caches.open(STATE).then(function (cache) { return cache["delete"](WHO); });
  }).catch(function () { return null; });
  event.waitUntil(done);
}

// The page learns when its copy was stored from data-cached-at on <body>.
function served(copy) {
  return copy.text().then(function (html) {
    var stored = copy.headers.get("X-Zs-Stored");
    return new Response(html.replace(/<body/i, "<body data-cached-at=\"" + stored + "\""),
                        { status: 200, headers: copy.headers });
  });
}

function offlinePage() {
  return caches.open(STATIC).then(function (cache) { return cache.match(OFFLINE_URL); })
    .then(function (page) { return page || Response.error(); });
}

function navigate(event) {
  var request = event.request;
  var network = fetch(request).then(function (response) {
    event.waitUntil(keep(response.clone()).catch(function () { return null; }));
    return response;
  });
  var slow = new Promise(function (resolve, reject) {
    setTimeout(function () { reject(new Error("slow")); }, SLOW_NETWORK_MS);
  });
  return Promise.race([network, slow]).then(function (response) {
    if (response.status < 502 || response.status > 504) return response;
    // The portal is down behind a working proxy: a saved copy is better than an error.
    return storedCopy(request).then(function (copy) { return copy ? served(copy) : response; });
  }, function () {
    return storedCopy(request).then(function (copy) {
      if (copy) return served(copy);
      // Slow but not dead, and nothing stored: keep waiting for the network after all.
      return network.catch(offlinePage);
    });
  });
}

function staticAsset(request) {
  return caches.open(STATIC).then(function (cache) {
    return cache.match(request).then(function (hit) {
      if (hit) return hit;
      return fetch(request).then(function (response) {
        if (response.ok) cache.put(request, response.clone());
        return response;
      }).catch(function () {
        // An older stored page asks for older asset versions: today's file is close enough.
        return cache.match(request, { ignoreSearch: true }).then(function (near) {
          return near || Response.error();
        });
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === "/logout") signOut(event);
  if (request.method !== "GET") return;
  // htmx fragments are never pages: straight to the network, never stored.
  if (request.headers.get("HX-Request")) return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(staticAsset(request));
  } else if (request.mode === "navigate") {
    event.respondWith(navigate(event));
  }
});
