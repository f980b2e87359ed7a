// Safewalk service worker registration. A classic script (no modules, no
// build step), inlined into index.html.
//
// Contract with the wasm app:
//   - When a new build has installed and is waiting, this sets
//     window.__safewalkUpdateReady = true and fires "safewalk:update-ready" on
//     window. The event can fire before the wasm has loaded, so the app also
//     reads the flag when it starts.
//   - When the user accepts the update (after the app has saved any open
//     draft), the app fires "safewalk:apply-update" on window. The waiting
//     worker is then told to activate, and the page reloads once under it.
(function () {
  "use strict";

  if (!("serviceWorker" in navigator)) return;

  var sw = navigator.serviceWorker;
  var registration = null;
  var waitingWorker = null;
  // Set only when this page asked the waiting worker to take over. The first
  // install's clients.claim() also fires "controllerchange"; that must not
  // reload a fresh visitor, and neither must an update accepted in another tab
  // (this tab may hold an unsaved draft).
  var updateApplied = false;
  var reloading = false;

  function announce(worker) {
    waitingWorker = worker;
    window.__safewalkUpdateReady = true;
    window.dispatchEvent(new Event("safewalk:update-ready"));
  }

  // A worker that finishes installing while the page is controlled is an
  // update, and it will wait. Without a controller it is the first install,
  // which activates by itself: nothing to announce.
  function track(worker) {
    if (!worker) return;
    worker.addEventListener("statechange", function () {
      if (worker.state === "installed" && sw.controller) announce(worker);
    });
  }

  function watch(reg) {
    registration = reg;
    if (reg.waiting && sw.controller) announce(reg.waiting);
    // An update may already be installing when register() resolves;
    // "updatefound" would have fired before we listened.
    track(reg.installing);
    reg.addEventListener("updatefound", function () {
      track(reg.installing);
    });
  }

  function register() {
    sw.register("./sw.js", { scope: "./" })
      .then(watch)
      .catch(function (err) {
        console.warn("Safewalk: service worker registration failed; the app will not work offline.", err);
      });
  }

  window.addEventListener("safewalk:apply-update", function () {
    var worker = (registration && registration.waiting) || waitingWorker;
    // Another tab may have accepted the update already: the worker we saw waiting is
    // then active and in control, and skipWaiting would change nothing. This page still
    // runs the old build, so reload it (the app has saved its drafts before asking).
    if (!worker || worker.state === "activated" || worker === sw.controller) {
      if (reloading) return;
      reloading = true;
      window.location.reload();
      return;
    }
    updateApplied = true;
    worker.postMessage({ type: "SKIP_WAITING" });
  });

  sw.addEventListener("controllerchange", function () {
    if (!updateApplied || reloading) return;
    reloading = true;
    window.location.reload();
  });

  // A field app can stay open for days; check for a new build whenever it
  // comes back to the foreground. Offline this simply fails, quietly.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState !== "visible" || !registration) return;
    registration.update().catch(function () {});
  });

  // Register after load so the worker's precache downloads do not compete
  // with the app's own first load.
  if (document.readyState === "complete") {
    register();
  } else {
    window.addEventListener("load", register);
  }
})();
