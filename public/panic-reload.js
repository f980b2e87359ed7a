// The panic banner's Reload button (index.html). Plain JS, inlined: the banner shows when
// the wasm app has stopped, so nothing of the app can answer the click. Delegated from the
// document, so it works whenever the button exists. (An inline onclick would need
// 'unsafe-inline' in the Content-Security-Policy.)
document.addEventListener("click", function (event) {
  var target = event.target;
  if (target instanceof Element && target.closest("#panic-reload")) location.reload();
});
