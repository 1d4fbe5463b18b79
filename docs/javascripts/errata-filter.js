/* Errata page: buttons that show only the rows of one tag (typo, render, tech, …).
   Our own code, no library. The tags are read from the table's tag column, so the
   buttons are always the tags the table really uses, in either language. */
(function () {
  function setup() {
    document.querySelectorAll(".errata-filter").forEach(function (box) {
      if (box.dataset.ready) return;
      box.dataset.ready = "1";
      var table = box.parentElement.querySelector("table");
      var column = Number(box.dataset.column || 1);
      if (!table) return;
      var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
      var tagsOf = function (row) {
        return row.cells[column].textContent.split(",").map(function (t) { return t.trim(); });
      };
      var tags = [];
      rows.forEach(function (row) {
        tagsOf(row).forEach(function (t) { if (t && tags.indexOf(t) < 0) tags.push(t); });
      });
      var all = document.documentElement.lang === "en" ? "All" : "전체";
      [all].concat(tags).forEach(function (tag, i) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "md-button" + (i === 0 ? " md-button--primary" : "");
        button.textContent = tag;
        button.setAttribute("aria-pressed", i === 0 ? "true" : "false");
        button.addEventListener("click", function () {
          box.querySelectorAll("button").forEach(function (b) {
            b.classList.remove("md-button--primary");
            b.setAttribute("aria-pressed", "false");
          });
          button.classList.add("md-button--primary");
          button.setAttribute("aria-pressed", "true");
          rows.forEach(function (row) {
            row.hidden = i !== 0 && tagsOf(row).indexOf(tag) < 0;
          });
        });
        box.appendChild(button);
      });
    });
  }
  if (window.document$) { window.document$.subscribe(setup); } else { setup(); }
})();
