/* Fixes to what the theme's own script builds (mkdocs-material 9.8), each for an
   accessibility rule; tests/site/test_reading.py checks them with axe-core.
   - The code-copy bar of every code block is a <nav> without a name: one page held
     several landmarks of the same kind and no name (axe: landmark-unique). It holds one
     button, not navigation, so it loses the landmark role.
   (The search dialog's name is set in overrides/partials/search.html.) */
(function () {
  function fix(root) {
    root.querySelectorAll("nav.md-code__nav:not([role])").forEach(function (nav) {
      nav.setAttribute("role", "none");
    });
  }
  fix(document);
  new MutationObserver(function (records) {
    records.forEach(function (r) {
      r.addedNodes.forEach(function (n) {
        if (n.nodeType !== 1) return;
        if (n.matches("nav.md-code__nav")) fix(n.parentNode || document);
        else if (n.querySelector("nav.md-code__nav")) fix(n);
      });
    });
  }).observe(document.body, { childList: true, subtree: true });
})();
