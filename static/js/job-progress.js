// The progress bar of a job run by a worker (an import, an export) asks for the job's state
// every second; the page reloads with the result once the job is done or failed.
// The bar is the <progress> with a data-status-url; [data-progress-done] and
// [data-progress-total] show the same numbers in words.
(function () {
  var bar = document.querySelector("progress[data-status-url]");
  if (!bar) return;
  var done = document.querySelector("[data-progress-done]");
  var total = document.querySelector("[data-progress-total]");
  function poll() {
    fetch(bar.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.status === "done" || state.status === "failed") { window.location.reload(); return; }
        if (state.total) { bar.max = state.total; if (total) total.textContent = state.total; }
        bar.value = state.done;
        if (done) done.textContent = state.done;
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
