/* Clicking a bar of a chart marked data-plotly-links opens the link the bar carries in
   its customdata (the portfolio filtered by that band). charts.js draws the charts;
   this runs once they are drawn. The table under the chart has the same links for
   keyboards and screen readers. */
(function () {
  "use strict";

  function follow(el) {
    if (typeof el.on !== "function") { return; }
    el.on("plotly_click", function (event) {
      var point = event && event.points && event.points[0];
      var link = point && point.customdata && point.customdata[0];
      if (link) { window.location.search = link.replace(/^\?/, ""); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-plotly-links]").forEach(follow);
  });
})();
