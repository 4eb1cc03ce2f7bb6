// Live preview of the date a deadline phrase stands for, and a suggested title.
// The form works without this script: the "Datum berekenen" button does the same on the server.
(function () {
  "use strict";
  var form = document.querySelector("form[data-deadline-url]");
  if (!form) { return; }
  var phrase = form.querySelector("#deadline_phrase");
  var madeOn = form.querySelector("#made_on");
  var deadline = form.querySelector("#deadline");
  var preview = document.getElementById("deadline-preview");
  var text = form.querySelector("#text");
  var title = form.querySelector("#title");
  var timer = null;

  function update() {
    if (!phrase.value.trim()) { preview.textContent = ""; return; }
    var url = form.dataset.deadlineUrl + "?phrase=" + encodeURIComponent(phrase.value) +
      "&made_on=" + encodeURIComponent(madeOn.value);
    fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (body) {
        if (body.deadline) {
          var parts = body.deadline.split("-");
          deadline.value = parts[2] + "-" + parts[1] + "-" + parts[0];
        }
        // The server words the message, in the user's language.
        preview.textContent = body.error || body.message || "";
      });
  }

  function schedule() { clearTimeout(timer); timer = setTimeout(update, 250); }
  phrase.addEventListener("input", schedule);
  madeOn.addEventListener("change", schedule);

  // With the live preview the "Datum berekenen" button need not submit, so pressing Enter in a
  // field saves the form instead of only working out the date.
  var previewButton = form.querySelector("#preview");
  if (previewButton) {
    previewButton.type = "button";
    previewButton.addEventListener("click", update);
  }

  // A suggested title is a placeholder, never text the clerk has to delete: left empty, the
  // register makes the same title from the text when it saves.
  if (text && title) {
    text.addEventListener("input", function () {
      var first = text.value.trim().replace(/\s+/g, " ").split(/[.;:] /)[0].replace(/\.$/, "");
      title.placeholder = first.length > 80 ? first.slice(0, 80).replace(/\s+\S*$/, "") + "\u2026" : first;
    });
  }
}());
