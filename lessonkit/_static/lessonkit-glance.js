// lessonkit: open the glance panel's closed sections before printing, and restore the reader's view after.
// They already open without this script (they are <details> elements), and print CSS opens them in
// browsers that support ::details-content; this covers the others.
(function () {
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = [];
    document.querySelectorAll("details.lk-glance-more:not([open])").forEach(function (el) {
      el.setAttribute("open", "");
      opened.push(el);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (el) { el.removeAttribute("open"); });
    opened = [];
  });
})();
