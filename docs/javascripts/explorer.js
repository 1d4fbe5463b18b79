/* The explorer of the page "Inside the trained network" (plain JavaScript, no library).
 *
 * Reads the data the build precomputed (cnnnotes/site/figures/explorer.py):
 * <base>explorer-index.json once, then <base>explorer-NN.json for each picked image.
 * Every word shown comes from the page (data-t-* attributes) or from the data's class
 * names; nothing is fetched from another host. Thumbnails form a radio group: the arrow
 * keys, Home and End move the selection.
 */
(function () {
  "use strict";

  function decode(b64) {
    var bin = atob(b64);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? String(values[key]) : all;
    });
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function canvas(width, height) {
    var c = el("canvas");
    c.width = width;
    c.height = height;
    c.setAttribute("aria-hidden", "true");
    return c;
  }

  // RGB bytes (n * h * w * 3) at offset -> canvas
  function paintRGB(c, bytes, offset) {
    var ctx = c.getContext("2d");
    var img = ctx.createImageData(c.width, c.height);
    for (var p = 0, n = c.width * c.height; p < n; p++) {
      img.data[4 * p] = bytes[offset + 3 * p];
      img.data[4 * p + 1] = bytes[offset + 3 * p + 1];
      img.data[4 * p + 2] = bytes[offset + 3 * p + 2];
      img.data[4 * p + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }

  // one quantised map (h * w bytes) at offset -> canvas, through the colour map
  function paintMap(c, bytes, offset, lut) {
    var ctx = c.getContext("2d");
    var img = ctx.createImageData(c.width, c.height);
    for (var p = 0, n = c.width * c.height; p < n; p++) {
      var v = bytes[offset + p];
      img.data[4 * p] = lut[3 * v];
      img.data[4 * p + 1] = lut[3 * v + 1];
      img.data[4 * p + 2] = lut[3 * v + 2];
      img.data[4 * p + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }

  function Explorer(root, index) {
    this.root = root;
    this.index = index;
    this.base = root.getAttribute("data-base");
    this.t = root.dataset;
    var lang = (document.documentElement.lang || "en").slice(0, 2);
    this.names = index.classes[lang] || index.classes.en;
    this.lut = decode(index.colormap);
    this.thumbs = decode(index.thumbnails);
    this.cache = {};
    this.current = -1;
    this.build();
  }

  Explorer.prototype.build = function () {
    var self = this;
    var root = this.root;
    root.textContent = "";
    var strip = el("div", "cnn-explorer__strip");
    strip.setAttribute("role", "radiogroup");
    strip.setAttribute("aria-label", this.t.tStrip);
    this.buttons = this.index.images.map(function (image, k) {
      var b = el("button", "cnn-explorer__thumb");
      b.type = "button";
      b.setAttribute("role", "radio");
      b.setAttribute("aria-checked", "false");
      b.tabIndex = -1;
      b.setAttribute("aria-label", fill(self.t.tThumb, {
        index: image.index, label: self.names[image.label]
      }));
      var c = canvas(32, 32);
      paintRGB(c, self.thumbs, k * 32 * 32 * 3);
      b.appendChild(c);
      b.addEventListener("click", function () { self.select(k, true); });
      strip.appendChild(b);
      return b;
    });
    strip.addEventListener("keydown", function (event) {
      var n = self.buttons.length;
      var next = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
      var k;
      if (next !== undefined) k = (self.current + next + n) % n;
      else if (event.key === "Home") k = 0;
      else if (event.key === "End") k = n - 1;
      else return;
      event.preventDefault();
      self.select(k, true);
    });
    root.appendChild(strip);

    var top = el("div", "cnn-explorer__top");
    var input = el("div", "cnn-explorer__input");
    this.inputCanvas = canvas(32, 32);
    this.caption = el("p", "cnn-explorer__caption");
    this.caption.setAttribute("aria-live", "polite");
    input.appendChild(this.inputCanvas);
    input.appendChild(this.caption);
    top.appendChild(input);
    var probs = el("div", "cnn-explorer__probs");
    probs.appendChild(el("p", "cnn-explorer__title", this.t.tProbs));
    var list = el("ol", "cnn-explorer__bars");
    this.bars = this.names.map(function (name) {
      var li = el("li", "cnn-explorer__bar");
      li.appendChild(el("span", "cnn-explorer__name", name));
      var track = el("span", "cnn-explorer__track");
      var fillBar = el("span", "cnn-explorer__fill");
      track.appendChild(fillBar);
      li.appendChild(track);
      var value = el("span", "cnn-explorer__value");
      li.appendChild(value);
      list.appendChild(li);
      return { li: li, fill: fillBar, value: value };
    });
    probs.appendChild(list);
    top.appendChild(probs);
    root.appendChild(top);

    this.layers = this.index.layers.map(function (layer) {
      var section = el("div", "cnn-explorer__layer");
      section.setAttribute("data-layer", layer.name);
      section.appendChild(el("p", "cnn-explorer__title", fill(self.t.tLayer, {
        layer: layer.name, maps: layer.maps, height: layer.height, width: layer.width,
        scale: layer.scale.toPrecision(2)
      })));
      var grid = el("div", "cnn-explorer__grid");
      grid.style.setProperty("--cell", Math.min(64, Math.max(40, 2 * layer.width)) + "px");
      var canvases = [];
      for (var f = 0; f < layer.maps; f++) {
        var cell = el("div", "cnn-explorer__map");
        var c = canvas(layer.width, layer.height);
        cell.appendChild(c);
        cell.appendChild(el("span", "cnn-explorer__num", String(f + 1)));
        grid.appendChild(cell);
        canvases.push(c);
      }
      section.appendChild(grid);
      root.appendChild(section);
      return { info: layer, canvases: canvases };
    });
    root.appendChild(el("p", "cnn-explorer__provenance",
      this.index.provenance[(document.documentElement.lang || "en").slice(0, 2)] ||
      this.index.provenance.en));
    this.select(0, false);
  };

  Explorer.prototype.load = function (k) {
    var file = this.index.images[k].file;
    if (!this.cache[file]) {
      this.cache[file] = fetch(this.base + file).then(function (response) {
        if (!response.ok) throw new Error(file + ": HTTP " + response.status);
        return response.json();
      });
    }
    return this.cache[file];
  };

  Explorer.prototype.select = function (k, focus) {
    var self = this;
    if (k === this.current) return;
    this.current = k;
    this.buttons.forEach(function (b, j) {
      b.setAttribute("aria-checked", j === k ? "true" : "false");
      b.tabIndex = j === k ? 0 : -1;
    });
    if (focus) this.buttons[k].focus();
    this.root.setAttribute("aria-busy", "true");
    this.load(k).then(function (data) {
      if (self.current !== k) return;
      self.show(k, data);
    }).catch(function (error) {
      self.caption.textContent = self.t.tError;
      self.root.setAttribute("aria-busy", "false");
      throw error;
    });
  };

  Explorer.prototype.show = function (k, data) {
    var self = this;
    paintRGB(this.inputCanvas, this.thumbs, k * 32 * 32 * 3);
    this.caption.textContent = fill(this.t.tCaption, {
      index: data.index, label: this.names[data.label], predicted: this.names[data.predicted]
    });
    data.probabilities.forEach(function (p, c) {
      var bar = self.bars[c];
      bar.fill.style.width = (100 * p).toFixed(1) + "%";
      bar.value.textContent = (100 * p).toFixed(1) + " %";
      bar.li.classList.toggle("is-predicted", c === data.predicted);
      bar.li.classList.toggle("is-true", c === data.label);
    });
    this.layers.forEach(function (layer) {
      var bytes = decode(data.maps[layer.info.name]);
      var size = layer.info.height * layer.info.width;
      layer.canvases.forEach(function (c, f) { paintMap(c, bytes, f * size, self.lut); });
    });
    this.root.setAttribute("data-shown", String(data.index));
    this.root.setAttribute("aria-busy", "false");
  };

  function start() {
    var roots = document.querySelectorAll(".cnn-explorer[data-base]");
    Array.prototype.forEach.call(roots, function (root) {
      if (root.getAttribute("data-ready")) return;
      root.setAttribute("data-ready", "1");
      fetch(root.getAttribute("data-base") + "explorer-index.json")
        .then(function (response) {
          if (!response.ok) throw new Error("explorer-index.json: HTTP " + response.status);
          return response.json();
        })
        .then(function (index) { new Explorer(root, index); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
