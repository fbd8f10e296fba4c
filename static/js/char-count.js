// Under every multi-line field with a maximum (templates/django/forms/widgets/
// textarea.html), count down what may still be typed. The field's maxlength is
// lifted: a browser cuts a longer paste silently, whereas the form refuses it
// with a message and keeps the text, and this counter says by how much it is
// over. Line breaks count one, as the server counts them (cucs_portal/texts.py).
(function () {
  "use strict";

  var lang = document.documentElement.lang || "fr";

  function setUp(counter) {
    var field = document.getElementById(counter.dataset.charCountFor);
    var max = parseInt(counter.dataset.maxlength, 10);
    if (!field || !max) {
      return;
    }
    field.removeAttribute("maxlength");
    var described = (field.getAttribute("aria-describedby") || "").split(" ");
    if (described.indexOf(counter.id) === -1) {
      described.push(counter.id);
    }
    field.setAttribute("aria-describedby", described.join(" ").trim());

    // Screen readers hear the count once the person pauses, not at every key.
    var live = document.createElement("div");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    counter.after(live);
    var timer = null;

    function update(announce) {
      // Characters as the server counts them: an emoji is one, not two.
      var left = max - Array.from(field.value.replace(/\r\n/g, "\n")).length;
      var template = left < 0 ? counter.dataset.over : counter.dataset.left;
      counter.textContent = template.replace(
        "__N__",
        Math.abs(left).toLocaleString(lang)
      );
      counter.classList.toggle("char-count-over", left < 0);
      if (announce) {
        window.clearTimeout(timer);
        timer = window.setTimeout(function () {
          live.textContent = counter.textContent;
        }, 1000);
      }
    }

    field.addEventListener("input", function () {
      update(true);
    });
    update(false);
  }

  document.querySelectorAll("[data-char-count-for]").forEach(setUp);
})();
