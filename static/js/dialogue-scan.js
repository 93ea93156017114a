/* The check-in scan page: where the browser can read QR codes (BarcodeDetector), the phone's
   camera reads the code and the form is sent; everywhere else the officer pastes the code or
   the link. No library, nothing loaded from elsewhere. */
(function () {
  "use strict";
  var form = document.getElementById("dialogue-checkin-form");
  var box = document.querySelector(".dialogue-camera");
  if (!form || !box || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  var input = form.querySelector("input[name=code]");
  var video = document.getElementById("dialogue-video");
  var start = document.getElementById("dialogue-camera-start");
  box.hidden = false;

  start.addEventListener("click", function () {
    var detector;
    try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { box.hidden = true; return; }
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (stream) {
      video.srcObject = stream;
      video.play();
      start.hidden = true;
      var busy = false;
      var timer = window.setInterval(function () {
        if (busy || video.readyState < 2) return;
        busy = true;
        detector.detect(video).then(function (codes) {
          busy = false;
          if (!codes.length) return;
          window.clearInterval(timer);
          stream.getTracks().forEach(function (track) { track.stop(); });
          input.value = codes[0].rawValue;
          form.submit();
        }, function () { busy = false; });
      }, 300);
    }, function () { box.hidden = true; input.focus(); });
  });
})();
