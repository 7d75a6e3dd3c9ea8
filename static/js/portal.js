/* The portal's own behaviour on every page. No inline script: a Content-Security-Policy can forbid them. */
(function () {
  "use strict";

  // After a refused form, the summary of its errors takes the focus; each of its links focuses its field.
  function focusErrorSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.focus();
    // Going to a #fragment of the page (the form's own address) takes the focus away once loaded.
    window.addEventListener("load", function () { summary.focus(); });
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!field) return;
      event.preventDefault();
      field.focus();
      field.scrollIntoView({block: "center"});
    });
  }

  // A table wider than the screen scrolls in its box: the box takes the focus so a keyboard can scroll it.
  function scrollBoxes() {
    var label = document.body.getAttribute("data-scroll-label");
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) {
        var caption = box.querySelector("caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : label);
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  focusErrorSummary();
  scrollBoxes();
  window.addEventListener("resize", scrollBoxes);
})();
