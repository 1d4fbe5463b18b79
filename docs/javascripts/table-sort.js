/* The results table: each column header is a button that sorts by its column (again to
   reverse); the sorted column says so with aria-sort. A button answers Enter and Space
   like any button. Our own code, no library. Numbers sort as numbers ("0.689 (19)" by
   0.689, "2,825,930" by its value); rows without a number go last. */
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
        var button = document.createElement("button");
        button.type = "button";
        while (th.firstChild) button.appendChild(th.firstChild);
        th.appendChild(button);
        button.addEventListener("click", function () {
          var up = th.getAttribute("aria-sort") !== "ascending";
          Array.prototype.forEach.call(th.parentNode.cells, function (c) {
            c.removeAttribute("aria-sort");
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
        });
      });
    });
  }
  if (window.document$) { window.document$.subscribe(setup); } else { setup(); }
})();
