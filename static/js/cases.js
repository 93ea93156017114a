/* ketnoi — while a business types the subject of its difficulty, offer published answers that
   may already help. Progressive enhancement: without JavaScript the form works the same. */
(function () {
  "use strict";
  var box = document.getElementById("similar-answers");
  var subject = document.getElementById("id_subject");
  if (!box || !subject || !window.fetch) { return; }
  var timer = null, last = "", controller = null;

  function look() {
    var text = subject.value.trim();
    if (text === last) { return; }
    last = text;
    if (controller) { controller.abort(); }
    if (text.length < 3) { box.innerHTML = ""; return; }
    controller = window.AbortController ? new AbortController() : null;
    fetch(box.getAttribute("data-url") + "?q=" + encodeURIComponent(text), {
      credentials: "same-origin", headers: { "Accept": "text/html" },
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      return response.ok && !response.redirected ? response.text() : "";
    }).then(function (html) {
      box.innerHTML = html;  // a fragment rendered by ketnoi, escaped by Django's templates
    }).catch(function () { /* offline or aborted: nothing to offer */ });
  }

  subject.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(look, 350);
  });
})();
