/* One data path for the site's interactive parts (plain JavaScript, no library).
 *
 * The build writes each data file as a script, data/<name>.js at the site's root (one copy
 * for both languages: cnnnotes/site/figures/netdata.py), whose one statement is
 * cnnnotesData.register("<name>", {...}). load(name) adds that script to the page once and
 * resolves with its payload. A script, unlike fetch(), ES modules or Web Workers, also
 * loads from a folder opened from disk (file://). Nothing is loaded until a panel asks.
 */
(function () {
  "use strict";
  if (window.cnnnotesData) return;

  // this file is <root>/javascripts/cnnnotes-data.js; the data lie in <root>/data/
  var self = document.currentScript;
  var base = self && self.src ? new URL("../data/", self.src).href : "data/";
  var payloads = {};
  var waiting = {};

  function settle(name, error) {
    var callbacks = waiting[name] || [];
    delete waiting[name];
    callbacks.forEach(function (cb) {
      if (error) cb.reject(error);
      else cb.resolve(payloads[name]);
    });
  }

  function register(name, payload) {
    payloads[name] = payload;
    settle(name);
  }

  function load(name) {
    if (payloads[name]) return Promise.resolve(payloads[name]);
    return new Promise(function (resolve, reject) {
      var first = !waiting[name];
      (waiting[name] = waiting[name] || []).push({ resolve: resolve, reject: reject });
      if (!first) return;
      var script = document.createElement("script");
      script.src = base + name + ".js";
      script.async = true;
      script.onerror = function () {
        script.remove();
        settle(name, new Error("data/" + name + ".js could not be loaded"));
      };
      document.head.appendChild(script);
    });
  }

  // base64 -> bytes
  function bytes(b64) {
    var bin = atob(b64);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  // base64 of little-endian float32 -> Float32Array
  function floats(b64) {
    var raw = bytes(b64);
    var view = new DataView(raw.buffer);
    var out = new Float32Array(raw.length / 4);
    for (var i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
    return out;
  }

  window.cnnnotesData = { base: base, register: register, load: load, bytes: bytes, floats: floats };
})();
