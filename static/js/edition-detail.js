// The page of an edition, without inline scripts (the site is CSP-ready).
//
// 1. Follows the making of the edition's PDF without a reload: asks the server
//    for its state every two seconds while it waits or renders (once a minute,
//    for ten minutes, when it seems stuck), then shows the
//    download button (or the error) and the "make it again" button. Without
//    JavaScript, reloading the page shows the same.
// 2. Adds a "Copy" button beside each share link (hidden without JavaScript or
//    without the clipboard API: the link can still be selected and copied).
(function () {
  "use strict";

  function followPdf(box) {
    var message = box.querySelector("[data-pdf-message]");
    var progress = box.querySelector("[data-pdf-progress]");
    var download = box.querySelector("[data-pdf-download]");
    var sha = box.querySelector("[data-pdf-sha]");
    var exportForm = box.querySelector("[data-pdf-export]");
    var stale = box.querySelector("[data-pdf-stale]");
    var pending = ["queued", "running"];
    var initial = box.dataset.status;
    // A PDF stuck waiting (stale) is asked about once a minute, for ten
    // minutes at most: a page left open must not keep the session alive for
    // ever (it ends after two idle hours).
    var staleSince = null;

    function show(state) {
      box.dataset.status = state.status;
      if (state.message && message.textContent.trim() !== state.message) {
        message.textContent = state.message;
      }
      var waiting = pending.indexOf(state.status) !== -1;
      // Waiting far too long (no worker took it up): no progress bar, the
      // message says so and the "make it again" button is offered.
      progress.classList.toggle("d-none", !waiting || Boolean(state.stale));
      download.classList.toggle("d-none", state.status !== "done");
      if (sha && state.sha256) {
        sha.textContent = state.sha256;
      }
      if (exportForm) {
        // A draft can always make its PDF again; a published edition only
        // after a failure; and one stuck waiting may be asked for again.
        var offered =
          exportForm.dataset.pdfExport === "always" ||
          state.status === "failed" ||
          state.stale;
        exportForm.classList.toggle("d-none", (waiting && !state.stale) || !offered);
      }
      if (stale && state.status !== initial) {
        stale.classList.add("d-none");
      }
      return waiting;
    }

    function poll() {
      fetch(box.dataset.statusUrl, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.status);
          }
          return response.json();
        })
        .then(function (state) {
          if (!show(state)) {
            return;
          }
          if (!state.stale) {
            staleSince = null;
            window.setTimeout(poll, 2000);
            return;
          }
          staleSince = staleSince || Date.now();
          if (Date.now() - staleSince < 10 * 60 * 1000) {
            window.setTimeout(poll, 60000);
          }
        })
        .catch(function () {
          window.setTimeout(poll, 10000);
        });
    }

    if (pending.indexOf(initial) !== -1) {
      window.setTimeout(poll, 1000);
    }
  }

  function offerCopy(button) {
    var field = document.getElementById(button.dataset.copyTarget);
    var status = document.querySelector("[data-copy-status]");
    if (!field) {
      return;
    }
    var label = button.innerHTML;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(
        function () {
          button.textContent = button.dataset.copiedLabel;
          if (status) {
            status.textContent = button.dataset.copiedLabel;
          }
          window.setTimeout(function () {
            button.innerHTML = label;
            if (status) {
              status.textContent = "";
            }
          }, 2500);
        },
        function () {
          // Refused (permissions): select the link so that Ctrl+C copies it.
          field.focus();
          field.select();
        }
      );
    });
  }

  var box = document.querySelector("[data-pdf-status]");
  if (box) {
    followPdf(box);
  }
  if (navigator.clipboard && window.isSecureContext) {
    document.querySelectorAll("[data-copy-target]").forEach(offerCopy);
  }
})();
