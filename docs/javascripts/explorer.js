/* The explorer of the page "Inside the trained network" (plain JavaScript, no library).
 *
 * On its first use (its button, or a pointer over it) it loads, through cnnnotesData,
 * data/test-images.js (the committed test images, the class names, the colour map) and
 * data/network-baseline.js (the trained baseline), the same data the panel "Try your own
 * picture" runs on. Each picked image goes through the baseline in the browser
 * (cnn-net.js): the maps of its convolution layers, on the layers' fixed colour scales;
 * the probabilities shown are those the run committed. Every word shown comes from the page
 * (data-t-* attributes) or from the data's class names. Thumbnails form a radio group: the
 * arrow keys, Home and End move the selection. Elements are made and painted with
 * cnnnotesUI (cnnnotes-ui.js), as in the panel "Try your own picture".
 */
(function () {
  "use strict";

  var CASE = "baseline";

  var ui = window.cnnnotesUI;
  var el = ui.el, fill = ui.fill, canvas = ui.canvas, paintRGB = ui.paintRGB;
  var paintMap = ui.paintMap;

  function Explorer(root, images, network) {
    var data = window.cnnnotesData;
    this.root = root;
    this.t = root.dataset;
    var lang = (document.documentElement.lang || "en").slice(0, 2);
    this.lang = lang;
    this.names = images.classes[lang] || images.classes.en;
    this.lut = data.bytes(images.colormap);
    this.pixels = data.bytes(images.images);
    this.net = window.cnnnotesNet.build(network);
    this.committed = data.floats(network.committed.probabilities);
    this.predicted = network.committed.predicted;
    this.provenance = network.provenance;
    this.index = {
      images: images.excerpt.map(function (row) {
        return { row: row, index: images.indices[row], label: images.labels[row] };
      }),
      layers: network.layers.filter(function (layer) { return layer.kind === "Conv2D"; })
    };
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
      var c = canvas(32, 32, null, true);
      paintRGB(c, self.pixels, image.row * 32 * 32 * 3);
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
    this.inputCanvas = canvas(32, 32, null, true);
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

    var first = this.net.run(this.image(0)).outputs;
    this.layers = this.index.layers.map(function (layer) {
      var shape = first[layer.name];
      var scale = self.net.scales[layer.name];
      var section = el("div", "cnn-explorer__layer");
      section.setAttribute("data-layer", layer.name);
      section.appendChild(el("p", "cnn-explorer__title", fill(self.t.tLayer, {
        layer: layer.name, maps: shape.channels, height: shape.height, width: shape.width,
        scale: scale.toPrecision(2)
      })));
      var grid = el("div", "cnn-explorer__grid");
      grid.style.setProperty("--cell", Math.min(64, Math.max(40, 2 * shape.width)) + "px");
      var canvases = [];
      for (var f = 0; f < shape.channels; f++) {
        var cell = el("div", "cnn-explorer__map");
        var c = canvas(shape.width, shape.height, null, true);
        cell.appendChild(c);
        cell.appendChild(el("span", "cnn-explorer__num", String(f + 1)));
        grid.appendChild(cell);
        canvases.push(c);
      }
      section.appendChild(grid);
      root.appendChild(section);
      return { name: layer.name, scale: scale, canvases: canvases };
    });
    root.appendChild(el("p", "cnn-explorer__provenance",
      this.provenance[this.lang] || this.provenance.en));
    this.select(0, false);
  };

  // the bytes (32, 32, 3) of the k-th image of the strip
  Explorer.prototype.image = function (k) {
    var row = this.index.images[k].row;
    return this.pixels.subarray(row * 32 * 32 * 3, (row + 1) * 32 * 32 * 3);
  };

  Explorer.prototype.select = function (k, focus) {
    if (k === this.current) return;
    this.current = k;
    this.buttons.forEach(function (b, j) {
      b.setAttribute("aria-checked", j === k ? "true" : "false");
      b.tabIndex = j === k ? 0 : -1;
    });
    if (focus) this.buttons[k].focus();
    this.show(k);
  };

  Explorer.prototype.show = function (k) {
    var self = this;
    var image = this.index.images[k];
    var rgb = this.image(k);
    var out = this.net.run(rgb).outputs;
    var predicted = this.predicted[image.row];
    paintRGB(this.inputCanvas, rgb, 0);
    this.caption.textContent = fill(this.t.tCaption, {
      index: image.index, label: this.names[image.label], predicted: this.names[predicted]
    });
    for (var c = 0; c < 10; c++) {
      var p = this.committed[image.row * 10 + c];
      var bar = this.bars[c];
      bar.fill.style.width = (100 * p).toFixed(1) + "%";
      bar.value.textContent = (100 * p).toFixed(1) + " %";
      bar.li.classList.toggle("is-predicted", c === predicted);
      bar.li.classList.toggle("is-true", c === image.label);
    }
    this.layers.forEach(function (layer) {
      layer.canvases.forEach(function (cv, f) {
        paintMap(cv, out[layer.name], f, layer.scale, self.lut);
      });
    });
    this.root.setAttribute("data-shown", String(image.index));
  };

  // first use: load the data once, then build
  function open(root, focus) {
    if (root.explorer) return root.explorer;
    var data = window.cnnnotesData;
    root.setAttribute("aria-busy", "true");
    root.explorer = Promise.all([data.load("test-images"), data.load("network-" + CASE)])
      .then(function (payloads) {
        var explorer = new Explorer(root, payloads[0], payloads[1]);
        root.setAttribute("aria-busy", "false");
        if (focus) explorer.buttons[0].focus();
        return explorer;
      }, function (error) {
        root.setAttribute("aria-busy", "false");
        root.explorer = null;
        if (root.status) root.status.textContent = root.dataset.tError;
        throw error;
      });
    return root.explorer;
  }

  function start() {
    var roots = document.querySelectorAll(".cnn-explorer[data-t-start]");
    Array.prototype.forEach.call(roots, function (root) {
      if (root.getAttribute("data-ready")) return;
      root.setAttribute("data-ready", "1");
      root.textContent = "";
      var button = el("button", "md-button cnn-explorer__start", root.dataset.tStart);
      button.type = "button";
      button.addEventListener("click", function () {
        open(root, true).then(null, function () {});
      });
      root.appendChild(button);
      root.status = el("p", "cnn-explorer__caption");
      root.status.setAttribute("role", "status");
      root.appendChild(root.status);
      root.addEventListener("pointerenter", function () {
        // a pointer over the box: load meanwhile, build on the click
        data().then(null, function () {});
      }, { once: true });
      function data() {
        return Promise.all([window.cnnnotesData.load("test-images"),
          window.cnnnotesData.load("network-" + CASE)]);
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
