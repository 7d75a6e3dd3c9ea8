/*
 * Help article suggestions while a subject is typed.
 *
 * Markup: a container with data-help-suggest-for="<input id>" and
 * data-help-suggest-url="<JSON endpoint>", holding a list marked data-help-suggest-list.
 * The endpoint answers {"results": [{"title", "url", "excerpt"}]}. Without JavaScript the
 * container stays hidden and the ticket page lists similar articles after sending.
 */
(function () {
  "use strict";

  var MIN_LENGTH = 3;
  var DELAY_MS = 250;

  function setUp(container) {
    var input = document.getElementById(container.getAttribute("data-help-suggest-for"));
    var list = container.querySelector("[data-help-suggest-list]");
    var url = container.getAttribute("data-help-suggest-url");
    if (!input || !list || !url || !window.fetch) return;
    var timer = null;
    var lastQuery = "";
    var controller = null;

    function render(results) {
      list.textContent = "";
      results.forEach(function (result) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = result.url;
        link.target = "_blank";
        link.rel = "noopener";
        link.textContent = result.title;
        item.appendChild(link);
        if (result.excerpt) {
          var excerpt = document.createElement("div");
          excerpt.className = "text-muted";
          excerpt.textContent = result.excerpt;
          item.appendChild(excerpt);
        }
        list.appendChild(item);
      });
      container.classList.toggle("d-none", results.length === 0);
    }

    function search() {
      var query = input.value.trim();
      if (query === lastQuery) return;
      lastQuery = query;
      if (query.length < MIN_LENGTH) {
        render([]);
        return;
      }
      if (controller && window.AbortController) controller.abort();
      controller = window.AbortController ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(query), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (query === lastQuery) render(data.results || []);
        })
        .catch(function () {
          /* aborted or offline: keep what is shown */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, DELAY_MS);
    });
    if (input.value) search();
  }

  function start() {
    document.querySelectorAll("[data-help-suggest-for]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
