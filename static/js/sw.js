// Service worker: filled in by the PWA issue.
self.addEventListener("install", function () { self.skipWaiting(); });
