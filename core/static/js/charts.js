/* Draw every server-built plotly figure on the page.
   An element with data-plotly-figure="<id>" is drawn from the JSON in the
   <script type="application/json" id="<id>"> that Django's json_script wrote.
   Text and grid colours follow the stylesheet, so charts match light and dark mode;
   numbers and dates follow the page's language (data-plotly-separators, -locale). */
(function () {
  "use strict";

  function themed(layout) {
    var css = getComputedStyle(document.documentElement);
    var text = css.getPropertyValue("--text-muted").trim() || "#5f6b7a";
    var grid = css.getPropertyValue("--border").trim() || "#e3e6eb";
    layout.font = Object.assign({ color: text, family: getComputedStyle(document.body).fontFamily }, layout.font || {});
    ["xaxis", "yaxis"].forEach(function (axis) {
      layout[axis] = Object.assign({ gridcolor: grid, zerolinecolor: grid, linecolor: grid }, layout[axis] || {});
    });
    return layout;
  }

  function draw(root) {
    if (typeof Plotly === "undefined") { return; }
    root.querySelectorAll("[data-plotly-figure]").forEach(function (el) {
      var source = document.getElementById(el.getAttribute("data-plotly-figure"));
      if (!source) { return; }
      var fig = JSON.parse(source.textContent);
      var layout = themed(fig.layout || {});
      // Decimal and thousands separators of the reader's language (Django's formats).
      if (el.dataset.plotlySeparators && !layout.separators) { layout.separators = el.dataset.plotlySeparators; }
      var config = { responsive: true, displaylogo: false };
      // Month names and modebar labels from vendor/plotly-locales, loaded by the page.
      if (el.dataset.plotlyLocale) { config.locale = el.dataset.plotlyLocale; }
      Plotly.newPlot(el, fig.data, layout, config);
    });
  }

  // Content swapped in by htmx (e.g. the health section after a form post) brings its
  // own figures: draw those, inside the settled element only.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target instanceof Element) { draw(event.target); }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { draw(document); });
  } else {
    draw(document);
  }
})();
