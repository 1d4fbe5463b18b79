"""The trained networks in a real browser: equal to numpy, fed the reader's own picture, offline.

Debian's Chromium, driven by Playwright's Python package, against the built site, served
and opened from disk (``file://``, without ``--allow-file-access-from-files``). Skipped
without Chromium, except on CI (``CI=true``).
"""

from __future__ import annotations

import base64
import functools
import io
import json
import re
from pathlib import Path

import numpy as np
import pytest
from conftest import Build

from cnnnotes.experiments.runs.cases import CASES, NOTES
from cnnnotes.experiments.runs.folder import load_run, load_weights
from cnnnotes.experiments.runs.forward import forward
from cnnnotes.experiments.runs.testimages import read_test_images
from cnnnotes.i18n import class_names, particle, t
from cnnnotes.site.browser import PAGE_BUDGET, first_load_bytes
from cnnnotes.site.figures.picture import offered

pytestmark = [pytest.mark.browser, pytest.mark.slow]

RESULTS = Path(__file__).resolve().parents[2] / "results"
CASE_NAMES = offered(RESULTS)
#: The issue's bound on the browser's logits against numpy's.
TOLERANCE = 1e-4

_JS_LOGITS = """async (name) => {
  const [images, data] = await Promise.all(
    [cnnnotesData.load("test-images"), cnnnotesData.load("network-" + name)]);
  const net = cnnnotesNet.build(data);
  const pixels = cnnnotesData.bytes(images.images);
  const size = 32 * 32 * 3, out = [];
  for (let i = 0; i < images.indices.length; i++) {
    out.push(Array.from(net.run(pixels.subarray(i * size, (i + 1) * size)).logits));
  }
  return out;
}"""
_PASTE = """([b64, type]) => {
  const bin = atob(b64), bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const data = new DataTransfer();
  data.items.add(new File([bytes], "pasted.png", { type }));
  const zone = document.querySelector(".cnn-picture__drop");
  zone.focus();
  zone.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true }));
}"""
_INPUT_PIXELS = """() => {
  const c = document.querySelector(".cnn-picture__input");
  return Array.from(c.getContext("2d").getImageData(0, 0, c.width, c.height).data);
}"""


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.requests = []  # type: ignore[attr-defined]
    pg.errors = []  # type: ignore[attr-defined]
    pg.on("request", lambda r: pg.requests.append(r.url))  # type: ignore[attr-defined]
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)) if _ours(str(exc)) else None)  # type: ignore[attr-defined]
    yield pg
    context.close()


def _ours(message: str) -> bool:
    """An error of ours, not of the theme's search (whose index needs a server, not file://)."""
    return "/search/" not in message


def _url(built_site: Build, server: str, where: str, path: str) -> str:
    """A page of the site, served (``path`` like ``en/picture/``) or from disk."""
    if where == "served":
        return server + path
    return (built_site.site / path / "index.html").as_uri()


def area_downscale(image: np.ndarray, size: int = 32) -> np.ndarray:
    """numpy reference: the centre square of ``image`` ``(H, W, 3)``, area-averaged to ``size``.

    Output pixel ``i`` covers source pixels ``[i s / size, (i + 1) s / size)`` of the
    square's side ``s``; each source pixel counts with the part of it that lies inside.
    """
    h, w = image.shape[:2]
    s = min(h, w)
    y0, x0 = (h - s) // 2, (w - s) // 2
    crop = image[y0 : y0 + s, x0 : x0 + s].astype(np.float64)
    edges = np.arange(size + 1) * s / size
    j = np.arange(s)
    share = np.minimum(edges[1:, None], j[None, :] + 1) - np.maximum(edges[:-1, None], j[None, :])
    weights = np.clip(share, 0.0, None) / (s / size)
    out: np.ndarray = np.rint(np.einsum("iy,yxc,jx->ijc", weights, crop, weights))
    return out


def _png(image: np.ndarray) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(image.astype(np.uint8), "RGB").save(buffer, format="PNG")
    return buffer.getvalue()


def _photo(h: int = 61, w: int = 97, seed: int = 0) -> np.ndarray:
    """A smooth picture with texture, not a multiple of 32 on either side."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:h, 0:w]
    base = np.stack([255 * x / w, 255 * y / h, 128 + 100 * np.sin(x / 5.0)], axis=-1)
    return np.clip(base + rng.integers(-40, 40, size=(h, w, 3)), 0, 255).astype(np.uint8)


@functools.cache
def _reference_logits(case: str) -> np.ndarray:
    test = read_test_images(RESULTS)
    weights = load_weights(RESULTS / f"runs/{NOTES.name}/{case}/seed-0/weights.npz")
    return forward(CASES[case], weights, test.images).logits


def _equality_failures(js: np.ndarray, ref: np.ndarray) -> list[str]:
    """What keeps the browser's logits from being numpy's (empty: equal)."""
    failures = []
    differ = np.flatnonzero(js.argmax(axis=1) != ref.argmax(axis=1))
    if differ.size:
        failures.append(f"argmax differs on {differ.size} image(s), first row {differ[0]}")
    worst = float(np.abs(js - ref).max())
    if worst > TOLERANCE:
        failures.append(f"max |logit difference| {worst:.3g} > {TOLERANCE}")
    return failures


def _start(page) -> None:
    """First use of the panel (focus on its first control); wait until its data are in."""
    page.focus(".cnn-picture select")
    page.wait_for_selector(".cnn-picture[data-state='ready']", timeout=60_000)


def _results(page) -> list[tuple[str, int]]:
    return [
        (c["case"], int(c["top1"]))
        for c in page.eval_on_selector_all(
            ".cnn-picture__case[data-top1]", "cs => cs.map(c => ({...c.dataset}))"
        )
    ]


# --- the network: equal to numpy ---------------------------------------------------------------


@pytest.mark.parametrize("case", CASE_NAMES)
def test_browser_network_equals_numpy_on_every_committed_test_image(
    page, server: str, case: str
) -> None:
    page.goto(server + "picture/", wait_until="load")
    js = np.array(page.evaluate(_JS_LOGITS, case), dtype=np.float64)
    ref = _reference_logits(case).astype(np.float64)
    assert js.shape == ref.shape
    assert _equality_failures(js, ref) == []
    assert page.errors == []


def test_equality_check_fails_on_a_copy_with_one_dense2_bias_moved_by_a_hundredth(
    page, built_site: Build, server: str
) -> None:
    original = (built_site.site / "data" / "network-baseline.js").read_text(encoding="utf-8")
    head, body = original.split(",", 1)
    data = json.loads(body.removesuffix(");\n"))
    block = np.frombuffer(base64.b64decode(data["weights"]), dtype="<f4").copy()
    block[data["tensors"]["dense2/bias"]["offset"] + 3] += np.float32(0.01)
    data["weights"] = base64.b64encode(block.tobytes()).decode("ascii")
    perturbed = f"{head},{json.dumps(data)});\n"
    page.route(
        "**/data/network-baseline.js",
        lambda route: route.fulfill(body=perturbed, content_type="text/javascript"),
    )
    page.goto(server + "picture/", wait_until="load")
    js = np.array(page.evaluate(_JS_LOGITS, "baseline"), dtype=np.float64)
    failures = _equality_failures(js, _reference_logits("baseline").astype(np.float64))
    assert any("max |logit difference|" in f for f in failures), failures


# --- the reader's picture ----------------------------------------------------------------------


@pytest.mark.parametrize("where", ["served", "file"])
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_file_a_paste_and_a_drawing_each_run_through_every_case_with_no_request(
    page, built_site: Build, server: str, where: str, lang: str
) -> None:
    path = "picture/" if lang == "ko" else "en/picture/"
    page.goto(_url(built_site, server, where, path), wait_until="load")
    assert not [u for u in page.requests if "/data/" in u], "data loaded with the page"
    _start(page)
    assert [u for u in page.requests if not u.startswith((server, "file:", "data:"))] == []
    page.requests.clear()

    def check(runs: int, source: str) -> None:
        page.wait_for_selector(f".cnn-picture[data-runs='{runs}']", timeout=20_000)
        assert page.get_attribute(".cnn-picture", "data-source") == source
        results = _results(page)
        assert [c for c, _ in results] == list(CASE_NAMES)
        assert all(0 <= top1 < 10 for _, top1 in results)
        assert page.locator(".cnn-picture__case li").count() == 3 * len(CASE_NAMES)
        assert page.locator(".cnn-picture__layer canvas").count() > 0
        verdict = page.inner_text(".cnn-picture__verdict")
        assert class_names(lang)[results[0][1]] in verdict  # type: ignore[arg-type]

    picture = _png(_photo())
    page.set_input_files(
        ".cnn-picture input[type=file]",
        files=[{"name": "photo.png", "mimeType": "image/png", "buffer": picture}],
    )
    check(1, "file")
    page.evaluate(_PASTE, [base64.b64encode(_png(_photo(seed=1))).decode("ascii"), "image/png"])
    check(2, "paste")
    page.locator(".cnn-picture__pad").scroll_into_view_if_needed()
    box = page.locator(".cnn-picture__pad").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 0.2 * box["width"], box["y"] + 0.3 * box["height"])
    page.mouse.down()
    for k in range(1, 11):
        page.mouse.move(box["x"] + (0.2 + 0.06 * k) * box["width"], box["y"] + 0.7 * box["height"])
    page.mouse.up()
    check(3, "drawing")
    assert page.requests == []
    assert page.errors == []


def test_downscale_is_the_area_average_of_the_centre_square_within_one_level(
    page, server: str
) -> None:
    page.goto(server + "en/picture/", wait_until="load")
    _start(page)
    for k, (h, w) in enumerate([(61, 97), (150, 40), (64, 64)], start=1):
        image = _photo(h, w, seed=k)
        page.set_input_files(
            ".cnn-picture input[type=file]",
            files=[{"name": f"p{k}.png", "mimeType": "image/png", "buffer": _png(image)}],
        )
        page.wait_for_selector(f".cnn-picture[data-runs='{k}']")
        seen = np.array(page.evaluate(_INPUT_PIXELS)).reshape(32, 32, 4)[..., :3]
        assert np.abs(seen - area_downscale(image)).max() <= 1, (h, w)


def test_area_reference_averages_whole_blocks_when_the_side_is_a_multiple():
    image = np.arange(64 * 64 * 3).reshape(64, 64, 3) % 251
    expected = image.reshape(32, 2, 32, 2, 3).mean(axis=(1, 3))
    assert np.array_equal(area_downscale(image.astype(np.uint8)), np.rint(expected))


def _sentence(test_row: int, lang: str) -> str:
    """The verdict the panel must write for a committed test image, from numpy's answers."""
    names = class_names(lang)  # type: ignore[arg-type]
    groups: dict[int, list[str]] = {}
    for case in CASE_NAMES:
        top1 = int(_reference_logits(case)[test_row].argmax())
        groups.setdefault(top1, []).append(CASES[case].short(lang))  # type: ignore[arg-type]
    if len(groups) == 1:
        (c,) = groups
        label = particle(names[c], "picture.particle.subject", lang)  # type: ignore[arg-type]
        return t("picture.agree", lang, label=label)  # type: ignore[arg-type]
    parts = " ".join(
        t(
            "picture.disagree_part",
            lang,  # type: ignore[arg-type]
            label=particle(names[c], "picture.particle.object", lang),  # type: ignore[arg-type]
            cases=", ".join(cases),
        )
        for c, cases in groups.items()
    )
    return t("picture.disagree", lang, parts=parts)  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_test_image_chosen_by_keyboard_says_whether_the_cases_agree_in_the_pages_language(
    page, server: str, lang: str
) -> None:
    tops = np.stack([_reference_logits(c).argmax(axis=1) for c in CASE_NAMES])
    disagree = int(np.flatnonzero((tops != tops[0]).any(axis=0))[0])
    agree = int(np.flatnonzero((tops == tops[0]).all(axis=0))[0])
    page.goto(server + ("picture/" if lang == "ko" else "en/picture/"), wait_until="load")
    _start(page)
    page.keyboard.press("ArrowDown")  # the picker is the keyboard's way in
    page.wait_for_selector(".cnn-picture[data-runs='1']")
    assert page.get_attribute(".cnn-picture__verdict", "aria-live") == "polite"
    for runs, row in enumerate([disagree, agree], start=2):
        page.select_option(".cnn-picture select", str(row))
        page.wait_for_selector(f".cnn-picture[data-runs='{runs}']")
        verdict = page.inner_text(".cnn-picture__verdict")
        assert _sentence(row, lang) in verdict
        assert [top1 for _, top1 in _results(page)] == tops[:, row].tolist()
    if lang == "ko":
        verdict = page.inner_text(".cnn-picture__verdict")
        assert not re.search(r"말[가를]|사슴[가를]|트럭[가를]", verdict)


def test_feature_maps_follow_the_chosen_case_on_its_fixed_scales(page, server: str) -> None:
    page.goto(server + "en/picture/", wait_until="load")
    _start(page)
    page.select_option(".cnn-picture select", "0")
    page.wait_for_selector(".cnn-picture[data-runs='1']")
    assert page.get_attribute(".cnn-picture__maps", "data-case") == CASE_NAMES[0]
    other = CASE_NAMES[-1]
    page.check(f".cnn-picture input[type=radio][value='{other}']")
    assert page.get_attribute(".cnn-picture__maps", "data-case") == other
    maps = page.locator(".cnn-picture__layer[data-layer='conv1'] canvas").count()
    assert maps == CASES[other].filters[0]


def test_the_panel_page_stays_within_the_page_budget_until_first_use(page, server: str) -> None:
    page.goto(server + "picture/", wait_until="networkidle")
    assert first_load_bytes(page, server) <= PAGE_BUDGET
    assert not [u for u in page.requests if "/data/" in u]


# --- the explorer of "Inside the trained network", on the same data ------------------------------


@pytest.mark.parametrize(
    ("where", "path", "scheme"),
    [("served", "inside/", "dark"), ("file", "en/inside/", "light")],
)
def test_explorer_opens_on_first_use_and_selects_by_keyboard(
    browser, built_site: Build, server: str, where: str, path: str, scheme: str
) -> None:
    run = load_run(RESULTS, NOTES.name, "baseline")
    excerpt = read_test_images(RESULTS).excerpt
    context = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)) if _ours(str(exc)) else None)
    page.on("request", lambda r: requests.append(r.url))
    page.goto(_url(built_site, server, where, path), wait_until="load")
    assert not [u for u in requests if "/data/" in u], "data loaded with the page"
    page.click(".cnn-explorer__start")
    page.wait_for_selector(f".cnn-explorer[data-shown='{int(excerpt[0])}']")
    assert page.locator(".cnn-explorer__thumb").count() == len(excerpt)
    assert page.locator(".cnn-explorer__layer").count() == 3
    checked = page.locator(".cnn-explorer__thumb[aria-checked='true']")
    assert checked.evaluate("b => b === document.activeElement")
    digest = """() => Array.from(document.querySelectorAll('.cnn-explorer__layer canvas'))
        .map(c => c.toDataURL()).join('|')"""
    before = page.evaluate(digest)
    requests.clear()

    page.keyboard.press("ArrowRight")
    second = int(excerpt[1])
    page.wait_for_selector(f".cnn-explorer[data-shown='{second}']")
    assert checked.count() == 1
    shown = [v.inner_text() for v in page.locator(".cnn-explorer__value").all()]
    assert run.probabilities is not None
    assert shown == [f"{float(p) * 100:.1f} %" for p in run.probabilities[second]]
    assert page.evaluate(digest) != before
    page.keyboard.press("ArrowLeft")
    page.wait_for_selector(f".cnn-explorer[data-shown='{int(excerpt[0])}']")
    assert page.evaluate(digest) == before
    assert requests == []
    assert errors == []
    context.close()


@pytest.mark.parametrize(("path", "scheme"), [("picture/", "dark"), ("en/picture/", "light")])
def test_panel_fits_a_phone_and_labels_every_control(
    browser, server: str, path: str, scheme: str
) -> None:
    context = browser.new_context(color_scheme=scheme, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server + path, wait_until="load")
    _start(page)
    page.select_option(".cnn-picture select", "7")
    page.wait_for_selector(".cnn-picture[data-runs='1']")
    width = page.evaluate("document.documentElement.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    rights = page.eval_on_selector_all(
        ".cnn-picture *", "els => els.map(e => e.getBoundingClientRect().right)"
    )
    assert max(rights) <= width
    unlabelled = page.eval_on_selector_all(
        ".cnn-picture select, .cnn-picture input",
        "els => els.filter(e => !(e.labels && e.labels.length)).map(e => e.outerHTML)",
    )
    assert unlabelled == []
    context.close()


_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value;
  }).observe({ type: "layout-shift", buffered: true });
  setTimeout(() => resolve(total), 500);
})"""


@pytest.mark.parametrize("path", ["picture/#panel", "en/picture/#panel"])
def test_building_the_panel_moves_no_deep_link(browser, server: str, path: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server + path, wait_until="load")
    assert page.evaluate(_SHIFT) <= 0.1
    top = page.eval_on_selector("#panel", "h => h.getBoundingClientRect().top")
    assert 0 <= top < 844
    context.close()
