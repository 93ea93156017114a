/* ketnoi — while a business types its difficulty, offer published answers that may already
   help and the topic it seems to be about. Progressive enhancement: without JavaScript the form
   works the same. */
(function () {
  "use strict";
  var box = document.getElementById("similar-answers");
  var subject = document.getElementById("id_subject");
  var description = document.getElementById("id_description");
  var topic = document.getElementById("id_topic");
  if (!box || !subject || !window.fetch) { return; }
  var timer = null, last = "", controller = null;

  function look() {
    var text = subject.value.trim();
    var more = description ? description.value.trim().slice(0, 2000) : "";
    if (text + "\n" + more === last) { return; }
    last = text + "\n" + more;
    if (controller) { controller.abort(); }
    if (text.length + more.length < 3) { box.innerHTML = ""; return; }
    controller = window.AbortController ? new AbortController() : null;
    fetch(box.getAttribute("data-url") + "?q=" + encodeURIComponent(text) + "&d=" + encodeURIComponent(more), {
      credentials: "same-origin", headers: { "Accept": "text/html" },
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      return response.ok && !response.redirected ? response.text() : "";
    }).then(function (html) {
      box.innerHTML = html;  // a fragment rendered by ketnoi, escaped by Django's templates
      offerTopic();
    }).catch(function () { /* offline or aborted: nothing to offer */ });
  }

  // The suggested topic can be taken with one click when none is chosen yet or another is.
  function offerTopic() {
    var suggestion = box.querySelector(".topic-suggestion");
    var use = box.querySelector(".use-topic");
    if (!suggestion || !use || !topic) { return; }
    var code = suggestion.getAttribute("data-topic");
    if (topic.value === code) { return; }
    use.hidden = false;
    use.addEventListener("click", function () {
      topic.value = code;
      topic.dispatchEvent(new Event("change", { bubbles: true }));
      use.hidden = true;
    });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(look, 350);
  }
  subject.addEventListener("input", later);
  if (description) { description.addEventListener("input", later); }
})();
