/* The console's few behaviours of its own; everything else is plain forms and htmx.
   - data-enter="ID": Enter in this field presses button ID (a scanner types, then Enter);
     data-enter="next": Enter moves on to the next field (scan the VIN, then the technician);
     data-enter="line": Enter jumps to the line whose [data-codes] holds what was scanned.
   - F2 puts the cursor in the page's scan field ([data-scan]).
   - data-print: the button prints the page.
   - data-clears="ID …": after the button's htmx request succeeds, the fields are reset, the first focused.
   - data-fills="ID": a value picked from the input's <datalist> puts its option's data-fill into
     field ID when that is still empty (a labour operation's standard hours). */
(function () {
  "use strict";

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Enter" && target && target.dataset && target.dataset.enter === "next") {
      event.preventDefault();
      var fields = Array.prototype.filter.call(target.form ? target.form.elements : [], function (el) {
        return !el.disabled && el.type !== "hidden" && el.offsetParent !== null;
      });
      var next = fields[fields.indexOf(target) + 1];
      if (next) { next.focus(); }
      return;
    }
    if (event.key === "Enter" && target && target.dataset && target.dataset.enter === "line") {
      event.preventDefault();
      findLine(target);
      return;
    }
    if (event.key === "Enter" && target && target.dataset && target.dataset.enter) {
      var button = document.getElementById(target.dataset.enter);
      if (button) {
        event.preventDefault();
        button.click();
      }
      return;
    }
    if (event.key === "F2") {
      var scan = document.querySelector("[data-scan]");
      if (scan) {
        event.preventDefault();
        scan.focus();
        scan.select();
      }
    }
  });

  /* data-enter="line": a scanned lot code or part number jumps to the input whose data-codes
     holds it (the first one not filled in yet); hyphens, spaces and case do not matter. */
  function code(text) { return (text || "").replace(/[\s-]+/g, "").toUpperCase(); }

  function findLine(scan) {
    var wanted = code(scan.value);
    var miss = document.getElementById("scan-miss");
    if (!wanted) { return; }
    var inputs = Array.prototype.filter.call(document.querySelectorAll("[data-codes]"), function (el) {
      return el.dataset.codes.split(" ").map(code).indexOf(wanted) !== -1;
    });
    var found = inputs.filter(function (el) { return el.value === ""; })[0] || inputs[0];
    Array.prototype.forEach.call(document.querySelectorAll("tr.found"), function (row) { row.classList.remove("found"); });
    if (miss) {
      miss.hidden = Boolean(found);
      var shown = miss.querySelector("[data-scan-code]");
      if (shown) { shown.textContent = scan.value; }
    }
    if (!found) { scan.select(); return; }
    scan.value = "";
    var row = found.closest("tr");
    if (row) { row.classList.add("found"); }
    found.scrollIntoView({block: "center"});
    found.focus();
    found.select();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) {
      event.preventDefault();
      window.print();
    }
  });

  /* data-fills: on a change, or as soon as an option of the list is picked (a prefix typed on
     the way to a longer code must not fill in the shorter one's figure). */
  function fillFromList(event) {
    var input = event.target;
    if (!input || !input.dataset || !input.dataset.fills || !input.list) { return; }
    if (event.type === "input" && event.inputType !== "insertReplacementText") { return; }
    var picked = Array.prototype.filter.call(input.list.options, function (option) {
      return option.value === input.value;
    })[0];
    var field = document.getElementById(input.dataset.fills);
    if (picked && picked.dataset.fill && field && field.value === "") { field.value = picked.dataset.fill; }
  }
  document.addEventListener("change", fillFromList);
  document.addEventListener("input", fillFromList);

  /* A button with data-clears="ID …": once its request has succeeded, those fields are back to
     what the page gave them (the scan field empty, the quantity 1) and the first has the cursor,
     ready for the next scan (the scan bar stays on the screen while the answer changes). */
  document.addEventListener("htmx:afterRequest", function (event) {
    var source = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!event.detail.successful || !source || !source.dataset || !source.dataset.clears) { return; }
    source.dataset.clears.split(" ").forEach(function (id, index) {
      var field = document.getElementById(id);
      if (!field) { return; }
      field.value = field.defaultValue;  /* the scan field empty again, the quantity back to 1 */
      if (index === 0) { field.focus(); }
    });
  });
})();
