"""What the reading tests measure in the page, as JavaScript for Playwright's ``evaluate``.

Each probe is a function expression; the tests in ``test_reading.py`` call them on every
page, and the same probes give the numbers an audit reports.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "AXE",
    "AXE_RUN",
    "AXE_TAGS",
    "HANGUL_BREAKS",
    "LAYOUT_SHIFT",
    "LAYOUT_SHIFT_OBSERVER",
    "OVERWIDE_TABLES",
]

#: axe-core, vendored from npm for the tests only (never shipped with the site).
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"

#: The WCAG 2.x A and AA rules.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

#: Runs axe on the document: ``{violations, incomplete, bestPractice}``, each a list of
#: ``[rule id, node count, first targets]``. The argument is the list of WCAG tags.
AXE_RUN = """async (tags) => {
  const brief = rs => rs.map(r => [r.id, r.nodes.length,
      r.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' +
        (n.any.concat(n.all, n.none).map(c => c.message).join('; ')).slice(0, 160))]);
  const wcag = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                        resultTypes: ['violations', 'incomplete']});
  const bp = await axe.run(document, {runOnly: {type: 'tag', values: ['best-practice']},
                                      resultTypes: ['violations']});
  return {violations: brief(wcag.violations), incomplete: brief(wcag.incomplete),
          bestPractice: brief(bp.violations)};
}"""

#: Line breaks in the page's text, and those that fall between two Hangul syllables of one
#: word (no space between them), except in a word wider than its column:
#: ``{breaks, inside, examples}``.
HANGUL_BREAKS = """() => {
  const hangul = c => c >= 0xAC00 && c <= 0xD7A3;
  const skip = 'pre, code, math, svg, script, style, .md-nav, .headerlink, [hidden], .md-sidebar';
  const root = document.querySelector('article.md-content__inner') || document.body;
  const range = document.createRange();
  const blockOf = new Map();
  const block = el => {
    if (blockOf.has(el)) return blockOf.get(el);
    let b = el;
    while (b !== root && getComputedStyle(b).display.startsWith('inline')) b = b.parentElement;
    blockOf.set(el, b);
    return b;
  };
  let breaks = 0;
  const found = [];
  let last = null;       // the last non-space character: {code, bottom, block}
  let word = null;       // the current word: {width, breaks: [...]}, closed at a space
  const endWord = () => {
    if (word && word.breaks.length) {
      const cs = getComputedStyle(word.block);
      const column = word.block.clientWidth
        - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      if (word.width <= column + 1) found.push(...word.breaks);
    }
    word = null;
  };
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest(skip) || !parent.offsetParent && parent.tagName !== 'BODY') {
      continue;
    }
    const text = node.data;
    const b = block(parent);
    if (last && last.block !== b) { endWord(); last = null; }
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (/\\s/.test(text[i])) { endWord(); last = last && {...last, space: true}; continue; }
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const r = range.getClientRects()[0];
      if (!r || r.width === 0) continue;
      if (!word) word = {width: 0, breaks: [], block: b};
      word.width += r.width;
      if (last && r.top >= last.bottom - 2) {
        breaks++;
        if (!last.space && hangul(last.code) && hangul(code)) {
          word.breaks.push(text.slice(Math.max(0, i - 6), i) + '|' + text.slice(i, i + 4));
        }
      }
      last = {code, bottom: r.bottom, block: b, space: false};
    }
  }
  endWord();
  return {breaks, inside: found.length, examples: found.slice(0, 8)};
}"""

#: Starts recording layout shifts (before the page's scripts run).
LAYOUT_SHIFT_OBSERVER = """
window.__shift = 0;
new PerformanceObserver(list => {
  for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
}).observe({type: 'layout-shift', buffered: true});
"""

#: The page's cumulative layout shift so far.
LAYOUT_SHIFT = "() => window.__shift"

#: Tables wider than their column: ``[[caption or first header, table width, column]]``.
OVERWIDE_TABLES = """() => {
  const article = document.querySelector('article.md-content__inner');
  const cs = getComputedStyle(article);
  const column = article.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
  return Array.from(article.querySelectorAll('table'))
    .filter(t => t.offsetParent !== null)
    .map(t => [(t.tHead ? t.tHead.innerText : t.innerText).slice(0, 40).replace(/\\s+/g, ' '),
               Math.round(t.getBoundingClientRect().width), Math.round(column)])
    .filter(([, w, c]) => w > c + 1);
}"""
