// Roadmap editor. The move buttons work from the keyboard (and without this script, as
// plain form posts); this adds three comforts: focus stays on the button you pressed
// after htmx swaps the board, Enter in the idea search does not submit the item form,
// and cards can be dragged between and within columns.
(function () {
  "use strict";

  // A button at the edge of the board comes back disabled (the last column has no
  // "next"): then the card's title link takes the focus instead. After settling, not
  // swapping: htmx wires the new board's forms up only then, and a quick Enter on a
  // button focused earlier would post the form without htmx and leave the page.
  document.body.addEventListener("htmx:afterSettle", function () {
    var target = document.querySelector("#editor-board [data-autofocus]");
    if (!target) return;
    if (target.disabled) {
      target = target.closest(".roadmap-editor-card").querySelector(".roadmap-card-title a");
    }
    if (target) target.focus();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches("[data-idea-search]")) {
      event.preventDefault();
    }
  });

  var dragged = null;

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".roadmap-editor-card");
    if (!card) return;
    dragged = card;
    card.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.id);
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("is-dragging");
    dragged = null;
  });

  document.addEventListener("dragover", function (event) {
    if (dragged && event.target.closest("[data-dropzone]")) event.preventDefault();
  });

  document.addEventListener("drop", function (event) {
    var zone = event.target.closest("[data-dropzone]");
    if (!dragged || !zone || !window.htmx) return;
    event.preventDefault();
    var cards = Array.prototype.slice.call(zone.querySelectorAll(".roadmap-editor-card"));
    cards = cards.filter(function (card) { return card !== dragged; });
    var position = cards.length;
    for (var i = 0; i < cards.length; i += 1) {
      var box = cards[i].getBoundingClientRect();
      if (event.clientY < box.top + box.height / 2) { position = i; break; }
    }
    var column = zone.closest("[data-column]").getAttribute("data-column");
    window.htmx.ajax("POST", dragged.getAttribute("data-move-url"), {
      target: "#editor-board",
      swap: "outerHTML",
      values: { column: column, position: position }
    });
  });
})();
