"""axe-core on every page a browser test visits: WCAG 2.1 A and AA, nothing fetched at run time.

The vendored copy of axe (see ``vendor/README.md``) is added to every document of the browser
context. Each page runs it once loaded and reports what it found to the test. Until the report is
in, the page holds back a link followed or a form sent from it, and ``page.goto`` waits, so no page
is left unchecked however fast a test moves on.
"""

from dataclasses import dataclass, field
from pathlib import Path

AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe.min.js"
WCAG_21_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Rules switched off, each with the reason it does not apply. Empty: every WCAG 2.1 A/AA rule runs.
ALLOWED_RULES: dict[str, str] = {}

CHECK_ON_LOAD = """(() => {
  if (window.top !== window || !location.protocol.startsWith("http")) return;
  const options = {runOnly: {type: "tag", values: %(tags)s}, rules: %(rules)s};
  let finished = false;
  window.__axeDone = new Promise((resolve) => window.addEventListener("load", async () => {
    let violations;
    try {
      const result = await axe.run(document, options);
      violations = result.violations.map((v) => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
      }));
    } catch (error) {
      violations = [{id: "axe-error", impact: "error", help: String(error), nodes: []}];
    }
    violations.push(...portalChecks());
    try { await window.__axeReport(location.href, violations); } finally { finished = true; resolve(); }
  }));
  // WCAG 2.1 checks that axe 4.x no longer makes: ids are unique (4.1.1, and a label names one
  // field), and the highlighted navbar entry says so to a screen reader (1.3.1).
  const portalChecks = () => {
    const found = [];
    const ids = new Map();
    document.querySelectorAll("[id]").forEach((el) => ids.set(el.id, (ids.get(el.id) || 0) + 1));
    const twice = [...ids].filter(([, count]) => count > 1).map(([id]) => ({target: "#" + id, summary: "used more than once"}));
    if (twice.length) found.push({id: "duplicate-id", impact: "serious", help: "Ids must be unique", nodes: twice});
    const silent = [...document.querySelectorAll(".navbar .nav-link.active:not([aria-current])")]
      .map((el) => ({target: el.textContent.trim(), summary: "active without aria-current"}));
    if (silent.length) found.push({id: "nav-current", impact: "moderate", help: "The current navbar entry carries aria-current", nodes: silent});
    return found;
  };
  const otherDocument = (href) => {
    const to = new URL(href, location.href);
    return to.origin + to.pathname + to.search !== location.origin + location.pathname + location.search;
  };
  // Listeners on window run last, once the page's own scripts have had their say.
  window.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[href]");
    if (finished || event.defaultPrevented || !link || link.target || link.hasAttribute("download")) return;
    if (!otherDocument(link.href)) return;
    event.preventDefault();
    window.__axeDone.then(() => location.assign(link.href));
  });
  window.addEventListener("submit", (event) => {
    if (finished || event.defaultPrevented) return;
    event.preventDefault();
    const form = event.target, submitter = event.submitter;
    window.__axeDone.then(() => form.requestSubmit(submitter));
  });
})();"""

WAIT_FOR_CHECK = """() => window.__axeDone
  ? Promise.race([window.__axeDone.then(() => true), new Promise((r) => setTimeout(() => r(false), 10000))])
  : true"""


@dataclass
class AxeAudit:
    """Checks every page of one browser context and keeps a readable list of the violations."""

    context: object
    problems: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def watch(self) -> "AxeAudit":
        import json

        self.context.add_init_script(path=AXE_SCRIPT)
        rules = {rule: {"enabled": False} for rule in ALLOWED_RULES}
        script = CHECK_ON_LOAD % {"tags": json.dumps(WCAG_21_AA_TAGS), "rules": json.dumps(rules)}
        self.context.add_init_script(script=script)
        self.context.expose_binding("__axeReport", self._receive)
        self.context.on("page", self._hold_goto)
        return self

    def _receive(self, source, url: str, violations: list[dict]) -> None:
        self.checked.append(url)
        self.problems.extend(describe(url, violation) for violation in violations)

    def _hold_goto(self, page) -> None:
        """``page.goto`` (and reload, back) wait until the page being left has been checked."""
        for name in ("goto", "reload", "go_back"):
            leave = getattr(page, name)
            setattr(page, name, self._after_check(page, leave))

    def _after_check(self, page, leave):
        def wrapper(*args, **kwargs):
            self.wait(page)
            return leave(*args, **kwargs)

        return wrapper

    def wait(self, page) -> None:
        """Wait for the check of the page shown now to be reported."""
        if not page.url.startswith("http"):
            return
        try:
            reported = page.evaluate(WAIT_FOR_CHECK)
        except Exception as error:  # noqa: BLE001 - a page that cannot be checked is reported, not skipped
            self.problems.append(f"  {page.url}: axe could not run ({error})")
            return
        if not reported:
            self.problems.append(f"  {page.url}: axe did not finish within 10 seconds")

    def finish(self) -> None:
        for page in self.context.pages:
            self.wait(page)

    def report(self) -> str:
        return "WCAG 2.1 A/AA violations found by axe-core:\n" + "\n".join(self.problems)


def describe(url: str, violation: dict) -> str:
    nodes = "\n".join(f"      {node['target']}: {node['summary']}" for node in violation["nodes"])
    return f"  {url}\n    [{violation['impact']}] {violation['id']}: {violation['help']}\n{nodes}"
