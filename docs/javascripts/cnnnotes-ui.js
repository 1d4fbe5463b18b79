/* What the site's interactive parts build with (plain JavaScript, no library).
 *
 * The explorer of "Inside the trained network" (explorer.js) and the panel "Try your own
 * picture" (picture.js) make their elements, fill their words and paint their pictures and
 * feature maps with these, so that both show an image or a map the same way.
 */
(function () {
  "use strict";
  if (window.cnnnotesUI) return;

  // an element, with a class and a text if given
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // "{key}" in template -> values[key]; an unknown key stays as written
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? String(values[key]) : all;
    });
  }

  // a width x height canvas; a decorative one is hidden from assistive technology
  function canvas(width, height, cls, decorative) {
    var c = el("canvas", cls);
    c.width = width;
    c.height = height;
    if (decorative) c.setAttribute("aria-hidden", "true");
    return c;
  }

  // RGB bytes (h * w * 3) from offset -> the whole canvas (h x w)
  function paintRGB(c, rgb, offset) {
    var ctx = c.getContext("2d");
    var img = ctx.createImageData(c.width, c.height);
    for (var p = 0, n = c.width * c.height; p < n; p++) {
      img.data[4 * p] = rgb[offset + 3 * p];
      img.data[4 * p + 1] = rgb[offset + 3 * p + 1];
      img.data[4 * p + 2] = rgb[offset + 3 * p + 2];
      img.data[4 * p + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }

  // one map (channel f of an (H, W, C) output) -> canvas, 0 .. scale through the colour map
  // (lut: 256 RGB triplets)
  function paintMap(c, map, f, scale, lut) {
    var ctx = c.getContext("2d");
    var img = ctx.createImageData(map.width, map.height);
    for (var p = 0, n = map.width * map.height; p < n; p++) {
      var v = map.data[p * map.channels + f] / scale;
      var q = Math.round(255 * (v < 0 ? 0 : v > 1 ? 1 : v));
      img.data[4 * p] = lut[3 * q];
      img.data[4 * p + 1] = lut[3 * q + 1];
      img.data[4 * p + 2] = lut[3 * q + 2];
      img.data[4 * p + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }

  window.cnnnotesUI = { el: el, fill: fill, canvas: canvas, paintRGB: paintRGB, paintMap: paintMap };
})();
