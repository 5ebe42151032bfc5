// The watch editor's live check: after a pause in typing, ask the server how the query
// reads and which stored mentions it finds, and show the HTML fragment it returns (the
// server escapes every piece of mention text in it).
(function () {
  "use strict";
  var DELAY_MS = 300;

  function attach(field) {
    var target = document.getElementById(field.dataset.checkTarget);
    if (!target || !field.dataset.checkUrl) {
      return;
    }
    var timer = null;
    var latest = 0;

    function check() {
      var ticket = ++latest;
      var url = new URL(field.dataset.checkUrl, window.location.href);
      url.searchParams.set("query", field.value);
      target.setAttribute("aria-busy", "true");
      fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (response) {
          return response.ok ? response.text() : Promise.reject(response.status);
        })
        .then(function (html) {
          if (ticket === latest) {
            target.innerHTML = html;
          }
        })
        .catch(function () { /* keep the last answer; the form still validates on save */ })
        .finally(function () {
          if (ticket === latest) {
            target.removeAttribute("aria-busy");
          }
        });
    }

    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(check, DELAY_MS);
    });
    if (field.value.trim()) {
      check();
    }
  }

  document.querySelectorAll("textarea[data-check-url]").forEach(attach);
})();
