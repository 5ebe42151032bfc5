// Live inbox: polls the server for changes (every 1.5 s) and updates the page in place.
// On a case page it also sends a presence heartbeat (every 5 s), shows who else is on
// the case, and warns before "mark replied" while someone else is drafting.
// Everything the server sends is set with textContent: it is data, never markup.
(function () {
  "use strict";

  var POLL_MS = 1500;
  var HEARTBEAT_MS = 5000;
  var root = document.querySelector("[data-live]");
  if (!root || !window.fetch) return;

  var me = root.dataset.me || "";
  var since = parseInt(root.dataset.since || "0", 10) || 0;
  var label = function (name) { return root.dataset["label" + name] || ""; };
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]");

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : whole;
    });
  }

  function setText(scope, field, text) {
    var node = scope.querySelector('[data-field="' + field + '"]');
    if (node) node.textContent = text;
  }

  function setReasons(scope, reasons) {
    var list = scope.querySelector('[data-field="reasons"]');
    if (!list) return;
    list.replaceChildren();
    reasons.forEach(function (reason) {
      var item = document.createElement("li");
      item.className = "tag";
      item.textContent = reason;
      list.appendChild(item);
    });
    list.hidden = reasons.length === 0;
  }

  function markUpdated(scope, by) {
    var mark = scope.querySelector("[data-live-mark]");
    if (!mark) return;
    mark.textContent = by ? fill(label("UpdatedBy"), { name: by }) : label("Updated");
    mark.hidden = false;
  }

  function applyCase(state) {
    var scope = document.querySelector('[data-case-id="' + state.id + '"]');
    if (!scope) return false;
    scope.dataset.status = state.status;
    scope.className = scope.className.replace(/\bstatus-\S+/g, "").trim() + " status-" + state.status;
    setText(scope, "status", state.status_label);
    setText(scope, "assignee", state.assignee || label("Unassigned"));
    setText(scope, "priority", String(state.priority));
    setReasons(scope, state.reasons || []);
    if (state.by !== me) markUpdated(scope, state.by);
    return true;
  }

  var elsewhere = new Set();

  function showElsewhere() {
    var notice = document.querySelector("[data-live-elsewhere]");
    if (!notice || !elsewhere.size) return;
    var text = notice.querySelector("[data-live-elsewhere-text]");
    if (text) text.textContent = fill(label("Elsewhere"), { count: String(elsewhere.size) });
    notice.hidden = false;
  }

  function appendEvents(events) {
    var list = document.querySelector("[data-live-events]");
    if (!list || !events.length) return;
    var empty = list.querySelector("[data-empty]");
    if (empty) empty.remove();
    events.forEach(function (event) {
      var item = document.createElement("li");
      item.className = "event live-new";
      var time = document.createElement("time");
      time.dateTime = event.at;
      time.textContent = event.at_label;
      var actor = document.createElement("span");
      actor.className = "actor";
      actor.textContent = event.actor;
      item.append(time, " ", actor, " ", event.text);
      if (/^https?:\/\//i.test(event.url || "")) {
        var link = document.createElement("a");
        link.href = event.url;
        link.target = "_blank";
        link.rel = "noopener noreferrer nofollow";
        link.textContent = label("TheReply");
        item.append(" · ", link);
      }
      list.appendChild(item);
    });
  }

  // --- presence (case page only) ---------------------------------------------------
  var presenceUrl = root.dataset.presenceUrl;
  var drafts = Array.prototype.slice.call(document.querySelectorAll("[data-draft]"));
  var sentState = "";

  function myState() {
    var drafting = drafts.some(function (box) {
      return document.activeElement === box || box.value.trim() !== "";
    });
    return drafting ? "drafting" : "viewing";
  }

  function showPresent(present) {
    var line = document.querySelector("[data-presence]");
    if (line) {
      var names = present.map(function (person) {
        return person.user + " (" + label(person.state === "drafting" ? "Drafting" : "Viewing") + ")";
      });
      line.textContent = names.length ? fill(label("AlsoHere"), { names: names.join(", ") }) : "";
      line.hidden = names.length === 0;
    }
    var warning = document.querySelector("[data-collision]");
    if (warning) {
      var drafters = present.filter(function (p) { return p.state === "drafting"; });
      var names2 = drafters.map(function (p) { return p.user; }).join(", ");
      var text = drafters.length ? fill(label("Collision"), { names: names2 }) : "";
      if (!drafters.length) delete warning.dataset.confirmPending;
      else if (warning.dataset.confirmPending === "shown") text += " " + label("Confirm");
      warning.textContent = text;
      warning.hidden = drafters.length === 0;
    }
  }

  function body(state) {
    var data = new FormData();
    data.append("state", state);
    if (csrf) data.append("csrfmiddlewaretoken", csrf.value);
    return data;
  }

  function heartbeat() {
    var state = myState();
    sentState = state;
    return fetch(presenceUrl, { method: "POST", body: body(state), credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) { if (answer) showPresent(answer.present || []); })
      .catch(function () {});
  }

  if (presenceUrl) {
    heartbeat();
    window.setInterval(heartbeat, HEARTBEAT_MS);
    ["focusin", "focusout", "input"].forEach(function (type) {
      document.addEventListener(type, function () {
        if (myState() !== sentState) heartbeat();
      });
    });
    window.addEventListener("pagehide", function () {
      if (navigator.sendBeacon) navigator.sendBeacon(presenceUrl, body("gone"));
    });
    var replied = document.querySelector("[data-composer]");
    if (replied) {
      // While someone else drafts, the first click only asks to confirm (no dialog).
      replied.addEventListener("submit", function (event) {
        var warning = document.querySelector("[data-collision]");
        if (!warning || warning.hidden || warning.dataset.confirmPending === "shown") return;
        event.preventDefault();
        warning.dataset.confirmPending = "shown";
        warning.textContent = warning.textContent + " " + label("Confirm");
      });
    }
  }

  // --- polling -----------------------------------------------------------------------
  var changesUrl = root.dataset.changesUrl;

  function poll() {
    var url = changesUrl + "?since=" + encodeURIComponent(String(since));
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        var type = response.headers.get("content-type") || "";
        return response.ok && type.indexOf("application/json") === 0 ? response.json() : null;
      })
      .then(function (answer) {
        if (!answer) return;
        since = Math.max(since, answer.latest || 0);
        (answer.cases || []).forEach(function (state) {
          if (!applyCase(state) && state.by !== me) elsewhere.add(state.id);
        });
        showElsewhere();
        appendEvents(answer.events || []);
        if (answer.present) showPresent(answer.present);
      })
      .catch(function () {})
      .then(function () { window.setTimeout(poll, POLL_MS); });
  }

  window.setTimeout(poll, POLL_MS);
})();
