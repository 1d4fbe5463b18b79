/* A trained network of the notes, run in the browser (plain JavaScript, no library).
 *
 * cnnnotesNet.build(data) takes a network's data (data/network-<case>.js, written by
 * cnnnotes/site/figures/netdata.py): the case's layer list (cnnnotes.experiments.runs.
 * architecture.to_json: kind, name, shape, window, units, activation of each layer) and its
 * float32 weights. Nothing here is written for one case: the layers are read from the list.
 * net.run(rgb) takes one 32x32 RGB image as bytes (H, W, C) and returns the logits, the
 * probabilities and every layer's output, each a Float32Array in (H, W, C) order, named as
 * cnnnotes.experiments.runs.forward names them:
 *
 *   Conv2D (valid, stride 1) + ReLU -> MaxPool2D (floor) -> ... -> Flatten -> Dense + ReLU
 *   -> [Dropout] -> Dense (logits) -> softmax (probabilities)
 *
 * Pixels are scaled /255 as in training; Dropout is the identity at inference. Sums run in
 * float64 and each output is stored as float32.
 */
(function () {
  "use strict";

  function conv2d(x, h, w, cin, kernel, bias, k, cout, relu) {
    var oh = h - k + 1, ow = w - k + 1;
    var y = new Float32Array(oh * ow * cout);
    var acc = new Float64Array(cout);
    for (var oy = 0; oy < oh; oy++) {
      for (var ox = 0; ox < ow; ox++) {
        for (var co = 0; co < cout; co++) acc[co] = bias[co];
        for (var ky = 0; ky < k; ky++) {
          for (var kx = 0; kx < k; kx++) {
            var xb = ((oy + ky) * w + ox + kx) * cin;
            var wb = (ky * k + kx) * cin * cout;
            for (var ci = 0; ci < cin; ci++) {
              var v = x[xb + ci];
              if (v === 0) continue;
              var wo = wb + ci * cout;
              for (co = 0; co < cout; co++) acc[co] += v * kernel[wo + co];
            }
          }
        }
        var yb = (oy * ow + ox) * cout;
        for (co = 0; co < cout; co++) y[yb + co] = relu && acc[co] < 0 ? 0 : acc[co];
      }
    }
    return { data: y, height: oh, width: ow, channels: cout };
  }

  function maxpool(x, h, w, c, p) {
    var oh = Math.floor(h / p), ow = Math.floor(w / p);
    var y = new Float32Array(oh * ow * c);
    for (var oy = 0; oy < oh; oy++) {
      for (var ox = 0; ox < ow; ox++) {
        for (var ch = 0; ch < c; ch++) {
          var best = -Infinity;
          for (var py = 0; py < p; py++) {
            for (var px = 0; px < p; px++) {
              var v = x[((oy * p + py) * w + ox * p + px) * c + ch];
              if (v > best) best = v;
            }
          }
          y[(oy * ow + ox) * c + ch] = best;
        }
      }
    }
    return { data: y, height: oh, width: ow, channels: c };
  }

  function dense(x, kernel, bias, units, relu) {
    var n = x.length;
    var acc = new Float64Array(units);
    for (var u = 0; u < units; u++) acc[u] = bias[u];
    for (var i = 0; i < n; i++) {
      var v = x[i];
      if (v === 0) continue;
      var row = i * units;
      for (u = 0; u < units; u++) acc[u] += v * kernel[row + u];
    }
    var y = new Float32Array(units);
    for (u = 0; u < units; u++) y[u] = relu && acc[u] < 0 ? 0 : acc[u];
    return { data: y, height: 1, width: 1, channels: units };
  }

  function softmax(x) {
    var max = -Infinity, sum = 0, i;
    for (i = 0; i < x.length; i++) if (x[i] > max) max = x[i];
    var e = new Float64Array(x.length);
    for (i = 0; i < x.length; i++) sum += (e[i] = Math.exp(x[i] - max));
    var y = new Float32Array(x.length);
    for (i = 0; i < x.length; i++) y[i] = e[i] / sum;
    return { data: y, height: 1, width: 1, channels: x.length };
  }

  function Network(data, weights) {
    this.name = data["case"];
    this.layers = data.layers;
    this.input = data.layers[0].shape;
    this.scale = data.scale;
    this.scales = data.scales;
    var block = weights || window.cnnnotesData.floats(data.weights);
    var tensors = {};
    Object.keys(data.tensors).forEach(function (name) {
      var t = data.tensors[name];
      var size = t.shape.reduce(function (a, b) { return a * b; }, 1);
      tensors[name] = block.subarray(t.offset, t.offset + size);
    });
    this.weights = block;
    this.tensors = tensors;
  }

  // rgb: bytes (H, W, C) of one image -> { logits, probabilities, outputs: {layer: map} }
  Network.prototype.run = function (rgb) {
    var h = this.input[0], w = this.input[1], c = this.input[2];
    var x = new Float32Array(h * w * c);
    for (var i = 0; i < x.length; i++) x[i] = rgb[i] / this.scale;
    var cur = { data: x, height: h, width: w, channels: c };
    var outputs = {};
    var tensors = this.tensors;
    this.layers.forEach(function (layer) {
      var kernel = tensors[layer.name + "/kernel"], bias = tensors[layer.name + "/bias"];
      var relu = layer.activation === "relu";
      if (layer.kind === "Input" || layer.kind === "Dropout") {
        return;  // the image itself; the identity at inference
      } else if (layer.kind === "Conv2D") {
        cur = conv2d(cur.data, cur.height, cur.width, cur.channels, kernel, bias,
          layer.window, layer.units, relu);
      } else if (layer.kind === "MaxPool2D") {
        cur = maxpool(cur.data, cur.height, cur.width, cur.channels, layer.window);
      } else if (layer.kind === "Flatten") {
        cur = { data: cur.data, height: 1, width: 1, channels: cur.data.length };
      } else if (layer.kind === "Dense") {
        cur = dense(cur.data, kernel, bias, layer.units, relu);
        if (layer.activation === "softmax") {
          outputs.logits = cur;
          cur = softmax(cur.data);
          outputs.probabilities = cur;
          return;
        }
      } else {
        throw new Error("layer " + layer.name + ": unknown kind " + layer.kind);
      }
      outputs[layer.name] = cur;
    });
    return {
      logits: outputs.logits.data,
      probabilities: outputs.probabilities.data,
      outputs: outputs
    };
  };

  // the classes of probabilities, most probable first (ties: the smaller class index)
  function ranked(probabilities) {
    var order = [];
    for (var i = 0; i < probabilities.length; i++) order.push(i);
    return order.sort(function (a, b) { return probabilities[b] - probabilities[a] || a - b; });
  }

  window.cnnnotesNet = {
    build: function (data, weights) { return new Network(data, weights); },
    ranked: ranked
  };
})();
