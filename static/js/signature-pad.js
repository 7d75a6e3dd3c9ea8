/*
 * A small signature pad: draw with a finger, a pen or the mouse on a <canvas>.
 * Written for the ClassContact portal; no dependency, nothing loaded from elsewhere.
 *
 * <canvas id="signature-pad" data-input="ID of a hidden input"></canvas>
 * <button type="button" data-clear="signature-pad">Clear</button>
 *
 * After each stroke the hidden input receives the drawing as a PNG data URL; it stays
 * empty while nothing is drawn, so an untouched pad sends no signature.
 */
(function () {
  "use strict";

  function SignaturePad(canvas) {
    this.canvas = canvas;
    this.input = document.getElementById(canvas.getAttribute("data-input"));
    this.context = canvas.getContext("2d");
    this.drawing = false;
    this.empty = true;
    this.last = null;
    canvas.style.touchAction = "none";
    this.resize();
    this.bind();
  }

  SignaturePad.prototype.resize = function () {
    // Match the canvas's pixels to its size on screen, so strokes follow the finger.
    var ratio = Math.max(window.devicePixelRatio || 1, 1);
    var width = this.canvas.clientWidth || 300;
    var height = this.canvas.clientHeight || 150;
    if (this.cssWidth === width && this.cssHeight === height) { return; }
    var copy = null;
    if (!this.empty) {
      copy = document.createElement("canvas");
      copy.width = this.canvas.width;
      copy.height = this.canvas.height;
      copy.getContext("2d").drawImage(this.canvas, 0, 0);
    }
    this.cssWidth = width;
    this.cssHeight = height;
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(height * ratio);
    this.context.setTransform(ratio, 0, 0, ratio, 0, 0);
    this.context.lineWidth = 2.2;
    this.context.lineCap = "round";
    this.context.lineJoin = "round";
    this.context.strokeStyle = "#0a2a5c";
    if (copy) {
      this.context.drawImage(copy, 0, 0, width, height);
      this.save();
    }
  };

  SignaturePad.prototype.point = function (event) {
    var box = this.canvas.getBoundingClientRect();
    var source = event.touches && event.touches.length ? event.touches[0] : event;
    return { x: source.clientX - box.left, y: source.clientY - box.top };
  };

  SignaturePad.prototype.start = function (event) {
    event.preventDefault();
    this.drawing = true;
    this.last = this.point(event);
    // A dot, so that a single tap leaves a mark.
    this.context.beginPath();
    this.context.arc(this.last.x, this.last.y, 1.1, 0, 2 * Math.PI);
    this.context.fillStyle = this.context.strokeStyle;
    this.context.fill();
    this.empty = false;
  };

  SignaturePad.prototype.move = function (event) {
    if (!this.drawing) { return; }
    event.preventDefault();
    var next = this.point(event);
    this.context.beginPath();
    this.context.moveTo(this.last.x, this.last.y);
    this.context.lineTo(next.x, next.y);
    this.context.stroke();
    this.last = next;
    this.empty = false;
  };

  SignaturePad.prototype.end = function () {
    if (!this.drawing) { return; }
    this.drawing = false;
    this.save();
  };

  SignaturePad.prototype.save = function () {
    if (this.input) { this.input.value = this.empty ? "" : this.canvas.toDataURL("image/png"); }
  };

  SignaturePad.prototype.clear = function () {
    this.context.save();
    this.context.setTransform(1, 0, 0, 1, 0, 0);
    this.context.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.context.restore();
    this.empty = true;
    this.save();
  };

  SignaturePad.prototype.bind = function () {
    var self = this;
    var canvas = this.canvas;
    if (window.PointerEvent) {
      canvas.addEventListener("pointerdown", function (event) {
        if (canvas.setPointerCapture) { canvas.setPointerCapture(event.pointerId); }
        self.start(event);
      });
      canvas.addEventListener("pointermove", function (event) { self.move(event); });
      canvas.addEventListener("pointerup", function () { self.end(); });
      canvas.addEventListener("pointercancel", function () { self.end(); });
    } else {
      canvas.addEventListener("mousedown", function (event) { self.start(event); });
      canvas.addEventListener("mousemove", function (event) { self.move(event); });
      window.addEventListener("mouseup", function () { self.end(); });
      canvas.addEventListener("touchstart", function (event) { self.start(event); }, { passive: false });
      canvas.addEventListener("touchmove", function (event) { self.move(event); }, { passive: false });
      canvas.addEventListener("touchend", function () { self.end(); });
    }
    var resizeTimer = null;
    window.addEventListener("resize", function () {
      window.clearTimeout(resizeTimer);
      resizeTimer = window.setTimeout(function () { self.resize(); }, 150);
    });
  };

  function setUp() {
    var pads = {};
    Array.prototype.forEach.call(document.querySelectorAll("canvas[data-input]"), function (canvas) {
      pads[canvas.id] = new SignaturePad(canvas);
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-clear]"), function (button) {
      button.addEventListener("click", function () {
        var pad = pads[button.getAttribute("data-clear")];
        if (pad) { pad.clear(); }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
