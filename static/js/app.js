// Zhongshu: the one script of our own. No framework; works under script-src 'self'.
"use strict";

// CSRF for htmx requests: the token comes from the page's meta tag.
document.addEventListener("htmx:config:request", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) event.detail.ctx.request.headers["X-CSRFToken"] = meta.content;
});
