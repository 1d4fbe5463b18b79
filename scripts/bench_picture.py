"""Benchmark the networks the browser runs, on a built site (prints, not a test).

For the site in ``--site`` (default: ``site/``, as ``mkdocs build`` leaves it), in
headless Chromium (Debian's, driven by Playwright), served from a local server:

- the bytes of every data script (``data/*.js``): per case, and the test images;
- every page's first-load weight, the theme's shared assets (``assets/``, ``search/``)
  excluded: the site's page budget is 1 MB; interactive data load on first use only;
- per offered case, the max |logit difference| between the browser's network and numpy's
  (``cnnnotes.experiments.runs.forward``) over every committed test image;
- per offered case, the time of one forward pass with all activations (the median of
  ``--runs``, 50 by default, after 5 warm-up passes). Goal: <= 30 ms for the baseline.

Times depend on the machine and on what else runs on it; the load average is printed.

    python scripts/bench_picture.py [--site site] [--runs 50]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
_TIMES = """async ([name, runs]) => {
  const [images, data] = await Promise.all(
    [cnnnotesData.load("test-images"), cnnnotesData.load("network-" + name)]);
  const net = cnnnotesNet.build(data);
  const pixels = cnnnotesData.bytes(images.images), size = 32 * 32 * 3;
  const n = images.indices.length, logits = [], times = [];
  for (let i = 0; i < n; i++) {
    logits.push(Array.from(net.run(pixels.subarray(i * size, (i + 1) * size)).logits));
  }
  for (let i = 0; i < runs + 5; i++) {
    const image = pixels.subarray((i % n) * size, (i % n + 1) * size);
    const start = performance.now();
    net.run(image);
    if (i >= 5) times.push(performance.now() - start);
  }
  return { logits, times };
}"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="a built site")
    parser.add_argument("--runs", type=int, default=50, help="timed passes per case (50)")
    args = parser.parse_args(argv)
    site = args.site
    if not (site / "data" / "test-images.js").is_file():
        print(f"bench_picture: {site} holds no built site; run `mkdocs build` first")
        return 2
    from cnnnotes.experiments.runs.cases import CASES, NOTES
    from cnnnotes.experiments.runs.folder import load_weights
    from cnnnotes.experiments.runs.forward import forward
    from cnnnotes.experiments.runs.testimages import read_test_images
    from cnnnotes.site import browser as headless
    from cnnnotes.site.figures.picture import offered

    chromium = headless.find_chromium()
    if chromium is None:
        print(f"bench_picture: {headless.NO_CHROMIUM}")
        return 2

    results = ROOT / "results"
    cases = offered(results)
    test = read_test_images(results)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("data scripts (bytes, one copy for both languages):")
    for path in sorted((site / "data").glob("*.js")):
        print(f"  {path.name:24} {path.stat().st_size:>10,}")
    with headless.serve(site) as url, headless.launch(chromium) as browser:
        print("first load per page (bytes, theme's assets/ and search/ excluded; a fresh cache):")
        for rel in headless.page_paths(site):
            context = browser.new_context()
            page = context.new_page()
            page.goto(url + rel, wait_until="networkidle")
            own = headless.first_load_bytes(page, url)
            mark = "" if own <= headless.PAGE_BUDGET else "  > budget"
            print(f"  /{rel:28} {own:>10,}{mark}")
            context.close()
        page = browser.new_page()
        page.goto(url + "picture/", wait_until="load")
        print(f"forward pass in Chromium, {len(test.indices)} test images; median of {args.runs}:")
        for case in cases:
            out = page.evaluate(_TIMES, [case, args.runs])
            weights = load_weights(results / f"runs/{NOTES.name}/{case}/seed-0/weights.npz")
            ref = forward(CASES[case], weights, test.images).logits.astype(np.float64)
            js = np.array(out["logits"], dtype=np.float64)
            same = bool((js.argmax(axis=1) == ref.argmax(axis=1)).all())
            print(
                f"  {case:10} {float(np.median(out['times'])):6.2f} ms "
                f"(min {min(out['times']):.2f}, max {max(out['times']):.2f})   "
                f"max |logit diff| {float(np.abs(js - ref).max()):.2e}   same argmax: {same}"
            )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
