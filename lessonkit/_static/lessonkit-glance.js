// lessonkit: list under each timeline only the blocks too narrow to show their title whole (again when the
// page's width changes). Without this script the legend lists every segment.
(function () {
  function whole(title) {
    return title.checkVisibility({checkVisibilityCSS: true}) && title.clientWidth > 1 &&
      title.scrollHeight <= title.clientHeight + 1 && title.scrollWidth <= title.clientWidth + 1;
  }
  function fit(bar) {
    var legend = bar.nextElementSibling;
    if (!legend || !legend.classList.contains("lk-timeline-legend")) return;
    var entries = legend.children, clipped = 0;
    bar.querySelectorAll(".lk-timeline-title").forEach(function (title, i) {
      var fits = whole(title);
      if (entries[i]) entries[i].classList.toggle("lk-fits", fits);
      if (!fits) clipped += 1;
    });
    legend.classList.toggle("lk-fits", !clipped);  // (print lists them all: lessonkit-glance.css)
  }
  function start() {
    var bars = document.querySelectorAll(".lk-glance ol.lk-timeline");
    if (!bars.length || !window.ResizeObserver || !Element.prototype.checkVisibility) return;
    var watch = new ResizeObserver(function (changes) {
      changes.forEach(function (change) { fit(change.target); });
    });
    bars.forEach(function (bar) { watch.observe(bar); });
  }
  // (the theme loads this script in the page's head, before the panel exists)
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

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
