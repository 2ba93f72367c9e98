/* The scorecard editor: live weight shares, adding and removing threshold rows.
   The page works without it: the server renders the shares, a blank threshold row is
   always there to add one, and a cleared row is ignored. The editor form is swapped
   by htmx on preview, so handlers are delegated from the document. */
(function () {
  "use strict";

  function number(text) {
    var value = parseFloat(String(text || "").trim());
    return isFinite(value) ? value : NaN;
  }

  function enabledBox(measure) {
    return measure.querySelector("input[type=checkbox][name$='-enabled']");
  }

  function updateShares(form) {
    var measures = Array.prototype.slice.call(form.querySelectorAll("[data-measure]"));
    var total = 0;
    var weights = measures.map(function (measure) {
      var box = enabledBox(measure);
      var input = measure.querySelector("input[name$='-weight']");
      var on = Boolean(box && box.checked);
      var weight = on && input ? number(input.value) : 0;
      measure.classList.toggle("is-off", !on);
      weight = weight > 0 ? weight : 0;
      total += weight;
      return on ? weight : null;
    });
    // Written as the server writes a percentage in the page's language ("45 %" in Spanish).
    var percent = new Intl.NumberFormat(document.documentElement.lang || undefined, {
      style: "percent", maximumFractionDigits: 0
    });
    measures.forEach(function (measure, index) {
      var output = measure.querySelector("[data-share]");
      if (!output) { return; }
      var weight = weights[index];
      output.textContent = weight === null || total === 0 ? "—" : percent.format(weight / total);
    });
  }

  /* Keep ids unique and the "row N" of each input's label right after rows move. */
  function relabel(tbody) {
    tbody.querySelectorAll("[data-point-row]").forEach(function (row, index) {
      row.querySelectorAll("input").forEach(function (input) {
        input.id = input.id.replace(/-\d+$/, "-" + index);
        var label = input.getAttribute("aria-label");
        if (label) { input.setAttribute("aria-label", label.replace(/\d+(?!.*\d)/, String(index + 1))); }
      });
    });
  }

  function addRow(button) {
    var tbody = button.closest("[data-measure]").querySelector("[data-points]");
    var rows = tbody.querySelectorAll("[data-point-row]");
    var copy = rows[rows.length - 1].cloneNode(true);
    copy.querySelectorAll("input").forEach(function (input) {
      input.value = "";
      input.removeAttribute("aria-invalid");
      input.removeAttribute("aria-describedby");
    });
    copy.querySelectorAll(".field-error").forEach(function (error) { error.remove(); });
    tbody.appendChild(copy);
    relabel(tbody);
    copy.querySelector("input").focus();
  }

  function removeRow(button) {
    var row = button.closest("[data-point-row]");
    var tbody = row.parentNode;
    var next = row.nextElementSibling || row.previousElementSibling;
    if (tbody.querySelectorAll("[data-point-row]").length > 1) {
      row.remove();
      relabel(tbody);
    } else {
      row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
      next = row;
    }
    var target = next ? next.querySelector("input") : null;
    if (target) { target.focus(); }
  }

  function init(root) {
    root.querySelectorAll("[data-js-only]").forEach(function (element) { element.hidden = false; });
    document.querySelectorAll("[data-scorecard-editor]").forEach(updateShares);
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-add-row]");
    var remove = event.target.closest("[data-remove-row]");
    if (add) { addRow(add); }
    if (remove) { removeRow(remove); }
  });

  ["input", "change"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var form = event.target.closest("[data-scorecard-editor]");
      if (form && event.target.matches("input[name$='-weight'], input[name$='-enabled']")) {
        updateShares(form);
      }
    });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { init(document); });
  } else {
    init(document);
  }
  /* After a preview swapped the form, keep the keyboard where the news is: the first
     problem, else the preview itself. */
  document.addEventListener("htmx:afterSettle", function (event) {
    init(event.target);
    var editor = document.getElementById("scorecard-editor");
    if (!editor || !editor.contains(event.target)) { return; }
    var target = editor.querySelector("[aria-invalid=true]") || document.getElementById("preview-heading");
    if (target) { target.focus(); }
  });
})();
