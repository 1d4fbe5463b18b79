/* The results table: click a column header to sort by it (again to reverse).
   Our own code, no library. Numbers sort as numbers ("0.689 (19)" by 0.689,
   "2,825,930" by its value); rows without a number go last. */
(function () {
  function value(cell) {
    var m = cell.textContent.replace(/,/g, "").match(/[-+]?\d+(\.\d+)?/);
    return m ? parseFloat(m[0]) : null;
  }
  function setup() {
    document.querySelectorAll(".results-table table").forEach(function (table) {
      if (table.dataset.sortable) return;
      table.dataset.sortable = "1";
      var body = table.tBodies[0];
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
        th.setAttribute("aria-sort", "none");
        th.style.cursor = "pointer";
        th.tabIndex = 0;
        var sort = function () {
          var up = th.getAttribute("aria-sort") !== "ascending";
          Array.prototype.forEach.call(th.parentNode.cells, function (c) {
            c.setAttribute("aria-sort", "none");
          });
          th.setAttribute("aria-sort", up ? "ascending" : "descending");
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (a, b) {
            var x = value(a.cells[col]), y = value(b.cells[col]);
            if (col === 0 || x === null || y === null) {
              if (x === null && y !== null && col !== 0) return 1;
              if (y === null && x !== null && col !== 0) return -1;
              return (up ? 1 : -1) * a.cells[col].textContent.localeCompare(b.cells[col].textContent);
            }
            return up ? x - y : y - x;
          });
          rows.forEach(function (r) { body.appendChild(r); });
        };
        th.addEventListener("click", sort);
        th.addEventListener("keydown", function (e) { if (e.key === "Enter") sort(); });
      });
    });
  }
  if (window.document$) { window.document$.subscribe(setup); } else { setup(); }
})();
