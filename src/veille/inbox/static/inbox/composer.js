// The answer composer of a case page: picking a saved reply fills the answer box with
// the reply already filled in by the server (author, brand, agent, url). The text goes
// in as the textarea's value, never as markup.
(function () {
  "use strict";

  var data = document.getElementById("saved-replies");
  var picker = document.querySelector("[data-saved-reply]");
  var box = document.getElementById("reply-text");
  if (!data || !picker || !box) return;

  var replies = {};
  JSON.parse(data.textContent).forEach(function (reply) { replies[reply.id] = reply; });

  picker.addEventListener("change", function () {
    var reply = replies[picker.value];
    if (!reply) return;
    box.value = reply.text;
    box.focus();
    box.dispatchEvent(new Event("input", { bubbles: true }));
  });
})();
