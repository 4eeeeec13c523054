// Zhongshu: the page script, one small module per concern. No framework, no build step; works
// under script-src 'self'. static/js/outbox.js (the outbox core) is loaded first.
import { meta } from "./page.js";
import "./banners.js";
import "./offline-pages.js";
import "./signout.js";
import "./passwords.js";
import "./outbox-ui.js";
import "./install.js";

// CSRF for htmx requests: the token comes from the page's meta tag.
document.addEventListener("htmx:config:request", (event) => {
  event.detail.ctx.request.headers["X-CSRFToken"] = meta("csrf-token");
});
