// A page waiting for documents being prepared asks their state now and then (less and less
// often), and reloads once every one is ready. No timed refresh of the page itself.
(function () {
  "use strict";
  var box = document.querySelector("[data-status-urls]");
  if (!box) { return; }
  var urls = box.getAttribute("data-status-urls").split(" ").filter(Boolean);
  var delay = 3000;
  function ready(state) { return state.ready && (state.status !== "signed" || state.signed_ready); }
  function check() {
    Promise.all(urls.map(function (url) {
      return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { ready: false }; });
    })).then(function (states) {
      if (states.every(ready)) { window.location.reload(); return; }
      delay = Math.min(delay * 1.5, 30000);
      window.setTimeout(check, delay);
    }).catch(function () { window.setTimeout(check, 30000); });
  }
  window.setTimeout(check, delay);
})();
