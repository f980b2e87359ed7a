// Safewalk service worker — TEMPLATE.
//
// This file is not served as-is: scripts/sw-precache (trunk's post_build
// hook) writes dist/sw.js from it, filling in the two placeholders below with
// a hash of the build and the list of every file in the build. Because the
// version is a content hash, any change to any shipped file changes the bytes
// of sw.js, which is what makes the browser notice a new build at all.
//
// Why a service worker: inspectors work where there is no signal (basements,
// tunnels, plant rooms). Every file of the app shell is precached at install,
// so the app starts with no network. Inspection data itself lives in the app's
// own storage and goes to the API, which this worker never touches.
//
// Why updates wait: a new worker installs in the background and then WAITS.
// It is only activated when the page posts {type: "SKIP_WAITING"}, which it
// does after the user accepts the "update available" banner — by then the app
// has saved any open draft. Activating on its own would swap the cached files
// under a running page and could reload it in the middle of an inspection.

"use strict";

const VERSION = "__SAFEWALK_VERSION__";
const PRECACHE = __SAFEWALK_PRECACHE__;

const CACHE_PREFIX = "safewalk-";
const CACHE_NAME = `${CACHE_PREFIX}${VERSION}`;

// The app shell. The app uses hash routes, so every navigation inside the
// scope is answered with this one document.
const SHELL_URL = new URL("./index.html", self.location.href).href;
const ROOT_URL = new URL("./", self.location.href).href;

self.addEventListener("install", (event) => {
  // No skipWaiting() here: see "Why updates wait" above. (The very first
  // install activates at once anyway, as there is no older worker to wait for.)
  event.waitUntil(
    caches.open(CACHE_NAME).then((cache) =>
      // cache: "reload" bypasses the HTTP cache, so a stale copy of a file
      // (e.g. index.html served with a max-age) cannot be frozen into a new
      // version's cache. If any file fails, install fails and the old worker
      // stays in charge — better than activating a half-filled cache.
      cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload" })))
    )
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            // Only our own caches: other code on the origin may use the Cache API.
            .filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE_NAME)
            .map((name) => caches.delete(name))
        )
      )
      // Take control of pages that were opened before any worker existed
      // (first visit), so they work offline without a reload.
      .then(() => self.clients.claim())
  );
});

self.addEventListener("message", (event) => {
  // Sent by sw-register.js once the user has accepted the update.
  if (event.data && event.data.type === "SKIP_WAITING") {
    self.skipWaiting();
  }
});

// Requests that must always reach the network untouched: API calls, the
// receiver's office pages (served beside the app), and data endpoints must
// never be answered from a cache or with the app shell (stale inspection lists,
// health checks lying about connectivity). Matched anywhere in the path
// because the app may be deployed under a sub-path.
function isPassThrough(url) {
  const path = url.pathname;
  return (
    path.includes("/api/") ||
    path.endsWith("/office") ||
    path.includes("/office/") ||
    path.endsWith("/inspections") ||
    path.includes("/inspections/") ||
    path.endsWith("/templates") ||
    path.endsWith("/health") ||
    // A printed paper's QR code opens the receiver's check of its seal (issue 15).
    path.endsWith("/verify") ||
    path.includes("/verify/")
  );
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (isPassThrough(url)) return;
  // Returning without respondWith() lets the browser handle the request
  // exactly as if there were no worker.

  if (request.mode === "navigate") {
    event.respondWith(appShell(request));
    return;
  }
  event.respondWith(cacheFirst(request));
});

async function appShell(request) {
  const cache = await caches.open(CACHE_NAME);
  const cached = (await cache.match(SHELL_URL)) || (await cache.match(ROOT_URL));
  if (cached) return navigable(cached);
  return fetch(request);
}

// Some static hosts answer /index.html with a redirect to /. A response that
// was redirected cannot be used to answer a navigation (the browser rejects
// it), so re-wrap the body in a fresh, non-redirected Response.
function navigable(response) {
  if (!response.redirected) return response;
  return new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

async function cacheFirst(request) {
  // Only this version's cache: a waiting or older worker's files must not
  // leak into the page this worker controls. The query string is part of the
  // match (ignoreSearch: false).
  const cache = await caches.open(CACHE_NAME);
  const cached = await cache.match(request, { ignoreSearch: false });
  if (cached) return cached;
  // Not precached: go to the network and do NOT store the response. The cache
  // holds exactly one build; runtime caching would let unrelated or stale
  // files pile up and outlive the build they belong to.
  return fetch(request);
}
