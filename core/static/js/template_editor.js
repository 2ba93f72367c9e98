// Milestone template editor: move rows up and down, add a row. Without JavaScript the
// position fields and the blank row at the end do the same job.
(function () {
  "use strict";
  var list = document.getElementById("milestone-rows");
  if (!list) return;
  var status = document.getElementById("milestone-status");
  var total = document.getElementById("id_milestones-TOTAL_FORMS");
  var empty = document.getElementById("milestone-empty");
  var addButton = document.querySelector("[data-add-milestone]");

  function rows() {
    return Array.prototype.slice.call(list.querySelectorAll("[data-milestone-row]"));
  }

  function isBlank(row) {
    var name = row.querySelector(".milestone-name input");
    var position = row.querySelector(".milestone-position");
    var id = row.querySelector("input[type=hidden][name$='-id']");
    return !(name && name.value) && !(position && position.value) && !(id && id.value);
  }

  // Positions follow the rows on screen; blank new rows stay blank so they are ignored.
  function renumber() {
    var position = 0;
    rows().forEach(function (row) {
      if (isBlank(row)) return;
      row.querySelector(".milestone-position").value = position;
      position += 1;
    });
  }

  function showButtons(scope) {
    scope.querySelectorAll("[data-move-buttons]").forEach(function (el) { el.hidden = false; });
  }

  list.addEventListener("click", function (event) {
    var button = event.target.closest("[data-move]");
    if (!button) return;
    var row = button.closest("[data-milestone-row]");
    var up = button.dataset.move === "up";
    var other = up ? row.previousElementSibling : row.nextElementSibling;
    if (!other) return;
    list.insertBefore(row, up ? other : other.nextElementSibling);
    renumber();
    button.focus();
    var name = row.querySelector(".milestone-name input").value || "";
    status.textContent = list.dataset.movedText
      .replace("{name}", name)
      .replace("{position}", rows().indexOf(row) + 1);
  });

  if (addButton && empty && total) {
    addButton.hidden = false;
    addButton.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var holder = document.createElement("div");
      holder.innerHTML = empty.innerHTML.replace(/__prefix__/g, String(index));
      var row = holder.firstElementChild;
      list.appendChild(row);
      total.value = String(index + 1);
      showButtons(row);
      row.querySelector(".milestone-name input").focus();
    });
  }
  showButtons(list);
})();
