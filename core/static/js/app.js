/* Small behaviours every page shares.

   A table wider than its card scrolls inside it. Such a scrolling box must be reachable
   and named for keyboard and screen-reader users, and only while it actually scrolls:
   a tab stop on a box that does not scroll is noise. */
(function () {
  "use strict";

  function label(wrap) {
    var caption = wrap.querySelector("caption");
    if (caption && caption.textContent.trim()) { return caption.textContent.trim(); }
    var section = wrap.closest("section[aria-labelledby]");
    var heading = section && document.getElementById(section.getAttribute("aria-labelledby"));
    return heading ? heading.textContent.trim() : "";
  }

  function mark(root) {
    root.querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        var name = label(wrap);
        if (name) { wrap.setAttribute("aria-label", name); }
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }

  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(function () { mark(document); }, 150);
  });
  document.addEventListener("htmx:afterSettle", function () { mark(document); });
  document.addEventListener("toggle", function () { mark(document); }, true);
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { mark(document); });
  } else {
    mark(document);
  }
})();

/* Focus survives an htmx swap. A control that submits is disabled while its request
   runs (hx-disabled-elt), which drops the keyboard focus before htmx could carry it
   over; remember the focused element's id when the request starts and give the focus
   back to the element with that id in the new content. */
(function () {
  "use strict";
  var focusedId = null;
  document.addEventListener("htmx:beforeRequest", function () {
    var active = document.activeElement;
    focusedId = active && active !== document.body && active.id ? active.id : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!focusedId) { return; }
    var target = document.getElementById(focusedId);
    focusedId = null;
    if (target && document.activeElement !== target) { target.focus(); }
  });
})();
