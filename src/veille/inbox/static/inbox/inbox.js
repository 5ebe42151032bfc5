// Keyboard shortcuts of the inbox: j/k move, Enter open, a assign to me, r reply,
// e close, i ignore, x select. Actions submit the page's own POST forms (marked data-shortcut).
(function () {
  "use strict";

  function typing(target) {
    if (target.matches && target.matches('input[type="checkbox"], input[type="radio"]')) {
      return false; // a ticked case box keeps the keys working
    }
    return target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  // Bulk selection: "select all on this page" ticks every case box of the page.
  var all = document.querySelector("[data-select-all]");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll("[data-select]").forEach(function (box) {
        box.checked = all.checked;
      });
    });
  }

  function submit(scope, key) {
    var form = scope.querySelector('form[data-shortcut="' + key + '"]');
    if (form) {
      form.requestSubmit();
      return true;
    }
    return false;
  }

  var rows = Array.prototype.slice.call(document.querySelectorAll("[data-case]"));
  var current = -1;

  function select(index) {
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach(function (row, i) {
      row.classList.toggle("selected", i === current);
      if (i === current) row.setAttribute("aria-current", "true");
      else row.removeAttribute("aria-current");
    });
    rows[current].scrollIntoView({ block: "nearest" });
    var link = rows[current].querySelector(".case-link");
    if (link) link.focus({ preventScroll: true });
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    var key = event.key;
    if (rows.length) {
      if (key === "j") select(current + 1);
      else if (key === "k") select(current - 1);
      else if (current < 0) return;
      else if (key === "Enter" && !event.target.closest("a, button")) {
        window.location.assign(rows[current].dataset.href);
      } else if (key === "r") {
        window.location.assign(rows[current].dataset.href + "#reply-url");
      } else if (key === "x") {
        var box = rows[current].querySelector("[data-select]");
        if (!box) return;
        box.checked = !box.checked;
      } else if (!submit(rows[current], key)) return;
      event.preventDefault();
      return;
    }
    if (key === "r") {
      var field = document.getElementById("reply-url");
      if (!field) return;
      field.focus();
    } else if (!submit(document, key)) return;
    event.preventDefault();
  });

  if (window.location.hash === "#reply-url") {
    var reply = document.getElementById("reply-url");
    if (reply) reply.focus();
  }
})();
