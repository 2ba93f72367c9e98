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

/* The header stays one line from 1024 px: the links that do not fit move, last first,
   into the "More" menu (a priority+ menu); narrower, the links wrap on a row of their
   own, as they do without this script. */
(function () {
  "use strict";
  var WIDE = window.matchMedia("(min-width: 1024px)");
  var list = document.querySelector("[data-nav-list]");
  var more = list && list.querySelector("[data-nav-more]");
  if (!more) { return; }
  var moreList = more.querySelector("[data-nav-more-list]");
  var items = Array.prototype.slice.call(list.querySelectorAll("[data-nav-item]"));

  function wrapped() {
    var shown = Array.prototype.filter.call(list.children, function (li) { return !li.hidden; });
    return shown.some(function (li) { return li.offsetTop > shown[0].offsetTop; });
  }

  function fit() {
    items.forEach(function (item) { list.insertBefore(item, more); });
    more.hidden = true;
    if (!WIDE.matches || !wrapped()) { return; }
    more.hidden = false;
    var kept = items.slice();
    while (kept.length && wrapped()) {
      moreList.insertBefore(kept.pop(), moreList.firstChild);
    }
    var current = moreList.querySelector("[aria-current]");
    more.querySelector("summary").classList.toggle("active", Boolean(current));
  }

  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(fit, 100);
  });
  fit();
})();

/* Header menus are <details>: one open at a time, closed by a click elsewhere and by
   Escape, which gives the focus back to the menu's summary. */
(function () {
  "use strict";
  function menus() { return document.querySelectorAll("details[data-menu][open]"); }

  document.addEventListener("click", function (event) {
    menus().forEach(function (menu) {
      if (!menu.contains(event.target)) { menu.open = false; }
    });
  });
  document.addEventListener("toggle", function (event) {
    var opened = event.target;
    if (!opened.matches || !opened.matches("details[data-menu]") || !opened.open) { return; }
    menus().forEach(function (menu) {
      if (menu !== opened && !menu.contains(opened)) { menu.open = false; }
    });
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    menus().forEach(function (menu) {
      var hadFocus = menu.contains(document.activeElement);
      menu.open = false;
      if (hadFocus) { menu.querySelector("summary").focus(); }
    });
  });
})();
