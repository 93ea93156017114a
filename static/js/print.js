/* A "Print" button (data-print) prints the page. Written here rather than in an onclick
   attribute, which the Content-Security-Policy refuses; without JavaScript the button stays
   hidden and the browser's own Print does the same. */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
