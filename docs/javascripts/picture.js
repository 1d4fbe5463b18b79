/* The reader's own picture through every trained network, in the browser (plain JavaScript).
 *
 * Builds on the element .cnn-picture that cnnnotes/site/figures/picture.py writes: its
 * attributes hold every word shown (data-words, in the page's language), the cases
 * (data-cases), the class names with their particles (data-classes) and the committed test
 * images offered (data-images). On the panel's first
 * use (pointer, focus, drag or touch) it loads, through cnnnotesData, the test images and
 * every case's network; after that, choosing a picture makes no request at all: the picture
 * never leaves the browser.
 *
 * A picture comes from a committed test image (a <select>: the keyboard's way in), a file,
 * a drop, a paste or the drawing pad. It is cropped to its centre square and downscaled to
 * 32x32 by area averaging (downscale), then run through every case (cnn-net.js): the top 3
 * classes of each, and the feature maps of the case chosen: every layer with a colour scale
 * in its data (each (H, W, C) output), on the same fixed scales as the static figures.
 * Elements are made and painted with cnnnotesUI (cnnnotes-ui.js), as in the explorer.
 */
(function () {
  "use strict";

  var SIZE = 32;
  var PAD = 224;

  var ui = window.cnnnotesUI;
  var el = ui.el, fill = ui.fill, canvas = ui.canvas, paintRGB = ui.paintRGB;
  var paintMap = ui.paintMap;

  // For each of `size` output pixels, the source pixels (0 .. s-1) under it and their share
  // of its area.
  function spans(s, size) {
    var step = s / size;
    var out = [];
    for (var i = 0; i < size; i++) {
      var start = i * step, end = (i + 1) * step;
      var index = [], weight = [];
      for (var j = Math.floor(start); j < Math.min(s, Math.ceil(end)); j++) {
        var overlap = Math.min(end, j + 1) - Math.max(start, j);
        if (overlap > 0) {
          index.push(j);
          weight.push(overlap / step);
        }
      }
      out.push({ index: index, weight: weight });
    }
    return out;
  }

  // RGBA bytes of a w x h picture -> RGB bytes (size, size, 3) of its centre square, each
  // output pixel the area-weighted mean of the source pixels under it; and the crop.
  function downscale(rgba, w, h, size) {
    size = size || SIZE;
    var s = Math.min(w, h);
    var x0 = Math.floor((w - s) / 2), y0 = Math.floor((h - s) / 2);
    var sp = spans(s, size);
    var rows = new Float64Array(s * size * 3);
    var y, i, k, o, wt, r, g, b;
    for (y = 0; y < s; y++) {
      var base = ((y0 + y) * w + x0) * 4;
      for (i = 0; i < size; i++) {
        r = g = b = 0;
        for (k = 0; k < sp[i].index.length; k++) {
          o = base + sp[i].index[k] * 4;
          wt = sp[i].weight[k];
          r += rgba[o] * wt;
          g += rgba[o + 1] * wt;
          b += rgba[o + 2] * wt;
        }
        o = (y * size + i) * 3;
        rows[o] = r;
        rows[o + 1] = g;
        rows[o + 2] = b;
      }
    }
    var out = new Uint8Array(size * size * 3);
    for (i = 0; i < size; i++) {
      for (var x = 0; x < size; x++) {
        r = g = b = 0;
        for (k = 0; k < sp[i].index.length; k++) {
          o = (sp[i].index[k] * size + x) * 3;
          wt = sp[i].weight[k];
          r += rows[o] * wt;
          g += rows[o + 1] * wt;
          b += rows[o + 2] * wt;
        }
        o = (i * size + x) * 3;
        out[o] = Math.min(255, Math.round(r));
        out[o + 1] = Math.min(255, Math.round(g));
        out[o + 2] = Math.min(255, Math.round(b));
      }
    }
    return { rgb: out, crop: { x: x0, y: y0, size: s } };
  }

  // a drawable (ImageBitmap, canvas) -> its RGBA pixels over white
  function pixels(source, w, h) {
    var c = canvas(w, h);
    var ctx = c.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, w, h);
    ctx.drawImage(source, 0, 0);
    return ctx.getImageData(0, 0, w, h).data;
  }

  function Panel(root) {
    this.root = root;
    this.words = JSON.parse(root.getAttribute("data-words"));
    this.cases = JSON.parse(root.getAttribute("data-cases"));
    this.classes = JSON.parse(root.getAttribute("data-classes"));
    this.images = JSON.parse(root.getAttribute("data-images"));
    this.runs = 0;
    this.last = null;
    this.ready = null;
    this.build();
  }

  Panel.prototype.build = function () {
    var self = this, w = this.words;
    var root = this.root;
    root.textContent = "";
    root.setAttribute("role", "region");
    root.setAttribute("aria-label", w.label);
    root.setAttribute("data-state", "idle");

    this.status = el("p", "cnn-picture__status", w.start);
    this.status.setAttribute("role", "status");
    root.appendChild(this.status);

    var inputs = el("div", "cnn-picture__inputs");
    // 1. a committed test image
    var pick = el("label", "cnn-picture__field");
    pick.appendChild(el("span", "cnn-picture__label", w.pick));
    this.select = el("select");
    this.select.appendChild(el("option", null, w.pick_none)).value = "";
    this.images.forEach(function (image, row) {
      var option = el("option", null, fill(w.option, {
        index: image[0], label: self.classes.names[image[1]]
      }));
      option.value = String(row);
      self.select.appendChild(option);
    });
    this.select.addEventListener("change", function () {
      if (self.select.value !== "") self.chooseTest(Number(self.select.value));
    });
    pick.appendChild(this.select);
    inputs.appendChild(pick);
    // 2. a file
    var file = el("label", "cnn-picture__field");
    file.appendChild(el("span", "cnn-picture__label", w.file));
    this.file = el("input");
    this.file.type = "file";
    this.file.accept = "image/*";
    this.file.addEventListener("change", function () {
      if (self.file.files && self.file.files[0]) {
        self.chooseBlob(self.file.files[0], "file", self.file.files[0].name);
      }
    });
    file.appendChild(this.file);
    inputs.appendChild(file);
    // 3. drop or paste
    this.drop = el("div", "cnn-picture__drop", w.drop);
    this.drop.tabIndex = 0;
    this.drop.setAttribute("role", "group");
    this.drop.setAttribute("aria-label", w.drop);
    ["dragenter", "dragover"].forEach(function (type) {
      self.drop.addEventListener(type, function (event) {
        event.preventDefault();
        self.drop.classList.add("is-over");
      });
    });
    this.drop.addEventListener("dragleave", function () { self.drop.classList.remove("is-over"); });
    this.drop.addEventListener("drop", function (event) {
      event.preventDefault();
      self.drop.classList.remove("is-over");
      var files = event.dataTransfer && event.dataTransfer.files;
      if (files && files[0]) self.chooseBlob(files[0], "file", files[0].name);
    });
    root.addEventListener("paste", function (event) {
      var items = (event.clipboardData && event.clipboardData.items) || [];
      for (var i = 0; i < items.length; i++) {
        if (items[i].kind === "file" && /^image\//.test(items[i].type)) {
          event.preventDefault();
          self.chooseBlob(items[i].getAsFile(), "paste");
          return;
        }
      }
    });
    inputs.appendChild(this.drop);
    // 4. the drawing pad
    var draw = el("div", "cnn-picture__draw");
    draw.appendChild(el("p", "cnn-picture__label", w.draw));
    this.pad = canvas(PAD, PAD, "cnn-picture__pad");
    this.pad.setAttribute("role", "img");
    this.pad.setAttribute("aria-label", w.pad);
    this.clearPad();
    this.drawing(this.pad);
    draw.appendChild(this.pad);
    var clear = el("button", "md-button cnn-picture__clear", w.clear);
    clear.type = "button";
    clear.addEventListener("click", function () { self.clearPad(); });
    draw.appendChild(clear);
    inputs.appendChild(draw);
    root.appendChild(inputs);

    this.verdict = el("p", "cnn-picture__verdict");
    this.verdict.setAttribute("aria-live", "polite");
    root.appendChild(this.verdict);
    // what the results need shows once a picture is chosen (the space before is reserved)
    var output = this.output = el("div", "cnn-picture__output");
    output.hidden = true;
    root.appendChild(output);

    // what the network sees
    var seen = el("div", "cnn-picture__seen");
    var cropFig = el("figure", "cnn-picture__view");
    this.cropCanvas = canvas(160, 160, "cnn-picture__crop", true);
    cropFig.appendChild(this.cropCanvas);
    cropFig.appendChild(el("figcaption", null, w.crop));
    var inFig = el("figure", "cnn-picture__view");
    this.inputCanvas = canvas(SIZE, SIZE, "cnn-picture__input", true);
    inFig.appendChild(this.inputCanvas);
    inFig.appendChild(el("figcaption", null, w.seen));
    seen.appendChild(cropFig);
    seen.appendChild(inFig);
    this.source = el("p", "cnn-picture__source");
    seen.appendChild(this.source);
    output.appendChild(seen);

    // results, side by side
    output.appendChild(el("p", "cnn-picture__title", w.results));
    this.results = el("div", "cnn-picture__results");
    this.cards = this.cases.map(function (c) {
      var card = el("div", "cnn-picture__case");
      card.setAttribute("data-case", c.name);
      card.appendChild(el("p", "cnn-picture__case-title", c.label));
      var list = el("ol", "cnn-picture__top");
      var rows = [0, 1, 2].map(function () {
        var li = el("li", "cnn-picture__bar");
        var name = el("span", "cnn-picture__name", "–");
        var track = el("span", "cnn-picture__track");
        var bar = el("span", "cnn-picture__fill");
        track.appendChild(bar);
        var value = el("span", "cnn-picture__value", "");
        li.appendChild(name);
        li.appendChild(track);
        li.appendChild(value);
        list.appendChild(li);
        return { name: name, fill: bar, value: value };
      });
      card.appendChild(list);
      self.results.appendChild(card);
      return { root: card, rows: rows };
    });
    output.appendChild(this.results);

    // feature maps of one case
    var which = el("fieldset", "cnn-picture__which");
    which.appendChild(el("legend", null, w.maps_of));
    this.radios = this.cases.map(function (c, k) {
      var label = el("label");
      var radio = el("input");
      radio.type = "radio";
      radio.name = "cnn-picture-case";
      radio.value = c.name;
      radio.checked = k === 0;
      radio.addEventListener("change", function () { self.drawMaps(); });
      label.appendChild(radio);
      label.appendChild(document.createTextNode(" " + c.label));
      which.appendChild(label);
      return radio;
    });
    output.appendChild(which);
    this.maps = el("div", "cnn-picture__maps");
    output.appendChild(this.maps);

    ["pointerenter", "focusin", "dragenter", "touchstart"].forEach(function (type) {
      root.addEventListener(type, function () { self.activate(); }, { passive: true });
    });
  };

  Panel.prototype.clearPad = function () {
    var ctx = this.pad.getContext("2d");
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, PAD, PAD);
  };

  Panel.prototype.drawing = function (pad) {
    var self = this, last = null;
    function point(event) {
      var box = pad.getBoundingClientRect();
      return [(event.clientX - box.left) * PAD / box.width, (event.clientY - box.top) * PAD / box.height];
    }
    pad.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      if (pad.setPointerCapture) pad.setPointerCapture(event.pointerId);
      last = point(event);
      var ctx = pad.getContext("2d");
      ctx.fillStyle = "#000";
      ctx.beginPath();
      ctx.arc(last[0], last[1], 7, 0, 2 * Math.PI);
      ctx.fill();
    });
    pad.addEventListener("pointermove", function (event) {
      if (!last) return;
      var next = point(event);
      var ctx = pad.getContext("2d");
      ctx.strokeStyle = "#000";
      ctx.lineWidth = 14;
      ctx.lineCap = "round";
      ctx.beginPath();
      ctx.moveTo(last[0], last[1]);
      ctx.lineTo(next[0], next[1]);
      ctx.stroke();
      last = next;
    });
    function end() {
      if (!last) return;
      last = null;
      self.choosePixels(pixels(pad, PAD, PAD), PAD, PAD, pad, "drawing");
    }
    pad.addEventListener("pointerup", end);
    pad.addEventListener("pointercancel", end);
  };

  // first use: load every case's network and the test images, once
  Panel.prototype.activate = function () {
    var self = this;
    if (this.ready) return this.ready;
    this.root.setAttribute("data-state", "loading");
    this.status.textContent = this.words.loading;
    var data = window.cnnnotesData;
    var names = ["test-images"].concat(this.cases.map(function (c) { return "network-" + c.name; }));
    this.ready = Promise.all(names.map(data.load)).then(function (payloads) {
      var images = payloads[0];
      self.testImages = data.bytes(images.images);
      self.lut = data.bytes(images.colormap);
      self.nets = payloads.slice(1).map(function (p) { return window.cnnnotesNet.build(p); });
      self.root.setAttribute("data-state", "ready");
      self.status.textContent = self.words.ready;
    }, function (error) {
      self.root.setAttribute("data-state", "error");
      self.status.textContent = self.words.error;
      throw error;
    });
    return this.ready;
  };

  Panel.prototype.chooseTest = function (row) {
    var self = this;
    var image = this.images[row];
    this.activate().then(function () {
      var rgb = self.testImages.subarray(row * SIZE * SIZE * 3, (row + 1) * SIZE * SIZE * 3);
      var c = canvas(SIZE, SIZE);
      paintRGB(c, rgb, 0);
      self.show(rgb, c, { x: 0, y: 0, size: SIZE }, SIZE, SIZE, "test", fill(self.words.source_test, {
        index: image[0], label: self.classes.names[image[1]]
      }));
    });
  };

  Panel.prototype.chooseBlob = function (blob, kind, name) {
    var self = this;
    this.activate().then(function () {
      return createImageBitmap(blob);
    }).then(function (bitmap) {
      var rgba = pixels(bitmap, bitmap.width, bitmap.height);
      var source = kind === "paste" ? self.words.source_paste
        : fill(self.words.source_file, { name: name || "" });
      self.choosePixels(rgba, bitmap.width, bitmap.height, bitmap, kind, source);
    }).catch(function () {
      self.status.textContent = self.words.error;
    });
  };

  Panel.prototype.choosePixels = function (rgba, w, h, drawable, kind, source) {
    var self = this;
    var small = downscale(rgba, w, h, SIZE);
    this.activate().then(function () {
      self.show(small.rgb, drawable, small.crop, w, h, kind, source || self.words.source_drawing);
    });
  };

  // the picture as the network sees it, every case's top 3, the maps of the chosen case
  Panel.prototype.show = function (rgb, drawable, crop, w, h, kind, source) {
    var self = this, names = this.classes.names;
    paintRGB(this.inputCanvas, rgb, 0);
    var ctx = this.cropCanvas.getContext("2d");
    var fit = Math.min(this.cropCanvas.width / w, this.cropCanvas.height / h);
    ctx.clearRect(0, 0, this.cropCanvas.width, this.cropCanvas.height);
    ctx.imageSmoothingEnabled = w > this.cropCanvas.width;
    var dx = (this.cropCanvas.width - w * fit) / 2, dy = (this.cropCanvas.height - h * fit) / 2;
    ctx.drawImage(drawable, dx, dy, w * fit, h * fit);
    ctx.strokeStyle = "#ff1744";
    ctx.lineWidth = 2;
    ctx.strokeRect(dx + crop.x * fit + 1, dy + crop.y * fit + 1, crop.size * fit - 2, crop.size * fit - 2);
    this.source.textContent = source;

    var groups = [], byClass = {};
    var summary = [];
    this.last = this.nets.map(function (net, k) {
      var out = net.run(rgb);
      var top = window.cnnnotesNet.ranked(out.probabilities).slice(0, 3);
      var card = self.cards[k];
      card.root.setAttribute("data-top1", String(top[0]));
      top.forEach(function (c, j) {
        var p = (100 * out.probabilities[c]).toFixed(1);
        card.rows[j].name.textContent = names[c];
        card.rows[j].fill.style.width = p + "%";
        card.rows[j].value.textContent = p + " %";
      });
      var label = self.cases[k].label;
      if (!(top[0] in byClass)) {
        byClass[top[0]] = [];
        groups.push(top[0]);
      }
      byClass[top[0]].push(label);
      summary.push(fill(self.words.summary, {
        "case": label, label: names[top[0]], p: (100 * out.probabilities[top[0]]).toFixed(1)
      }));
      return out;
    });
    var verdict;
    if (groups.length === 1) {
      verdict = fill(this.words.agree, { label: this.classes.subject[groups[0]] });
    } else {
      verdict = fill(this.words.disagree, {
        parts: groups.map(function (c) {
          return fill(self.words.disagree_part, {
            label: self.classes.object[c], cases: byClass[c].join(", ")
          });
        }).join(" ")
      });
    }
    this.verdict.textContent = source + ". " + summary.join("; ") + ". " + verdict;
    this.verdict.setAttribute("data-agree", groups.length === 1 ? "true" : "false");
    this.output.hidden = false;
    this.drawMaps();
    this.runs += 1;
    this.root.setAttribute("data-source", kind);
    this.root.setAttribute("data-runs", String(this.runs));
  };

  Panel.prototype.drawMaps = function () {
    var self = this;
    if (!this.last) return;
    var k = 0;
    this.radios.forEach(function (radio, j) { if (radio.checked) k = j; });
    var net = this.nets[k], out = this.last[k];
    this.maps.textContent = "";
    this.maps.setAttribute("data-case", net.name);
    net.layers.forEach(function (layer) {
      var name = layer.name, map = out.outputs[name];
      if (!map || !(name in net.scales)) return;
      var section = el("div", "cnn-picture__layer");
      section.setAttribute("data-layer", name);
      section.appendChild(el("p", "cnn-picture__title", fill(self.words.layer, {
        layer: name, maps: map.channels, height: map.height, width: map.width,
        scale: net.scales[name].toPrecision(2)
      })));
      var grid = el("div", "cnn-picture__grid");
      grid.style.setProperty("--cell", Math.min(56, Math.max(28, 2 * map.width)) + "px");
      for (var f = 0; f < map.channels; f++) {
        var c = canvas(map.width, map.height, null, true);
        paintMap(c, map, f, net.scales[name], self.lut);
        grid.appendChild(c);
      }
      section.appendChild(grid);
      self.maps.appendChild(section);
    });
  };

  window.cnnnotesPicture = { downscale: downscale };

  function start() {
    var roots = document.querySelectorAll(".cnn-picture[data-words]");
    Array.prototype.forEach.call(roots, function (root) {
      if (root.getAttribute("data-built")) return;
      root.setAttribute("data-built", "1");
      new Panel(root);
    });
  }

  // the element is above this script (the end of the page): build at once, before a paint
  start();
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
})();
