// A form with data-busy says, once sent, that it is at work: its button is disabled and shows
// the form's data-busy text, so a second click cannot send it again (an import would then
// answer that the sheet was already read, hiding that the first click did the work).
(function () {
  "use strict";
  document.querySelectorAll("form[data-busy]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      var button = form.querySelector("button[type=submit]");
      if (!button) { return; }
      // After the submit event, so the form is sent before the button is disabled; not when
      // something stopped the sending.
      window.setTimeout(function () {
        if (event.defaultPrevented) { return; }
        button.disabled = true;
        button.textContent = form.dataset.busy;
        form.setAttribute("aria-busy", "true");
      }, 0);
    });
  });
})();
