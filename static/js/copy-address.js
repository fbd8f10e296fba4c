// The « Copier » buttons beside the calendar addresses (calendars/mine.html),
// without inline scripts. Hidden without JavaScript or the clipboard API: the
// address can still be selected and copied.
(function () {
  "use strict";

  function offerCopy(button) {
    var field = document.getElementById(button.dataset.copyTarget);
    if (!field) {
      return;
    }
    var label = button.innerHTML;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(
        function () {
          button.textContent = button.dataset.copiedLabel;
          window.setTimeout(function () {
            button.innerHTML = label;
          }, 2500);
        },
        function () {
          field.focus();
          field.select();
        }
      );
    });
  }

  if (navigator.clipboard && window.isSecureContext) {
    document.querySelectorAll("[data-copy-target]").forEach(offerCopy);
  }
})();
