// The progress bar of an import asks for the job's state every second; the page reloads
// with the result once the job is done or failed.
(function () {
  var bar = document.getElementById("import-progress");
  if (!bar) return;
  var done = document.querySelector("[data-testid=import-done]");
  var total = document.querySelector("[data-testid=import-total]");
  function poll() {
    fetch(bar.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (state.status === "done" || state.status === "failed") { window.location.reload(); return; }
        if (state.total) { bar.max = state.total; total.textContent = state.total; }
        bar.value = state.done;
        done.textContent = state.done;
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
