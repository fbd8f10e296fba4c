// The long texts people write in Markdown (cucs_portal/widgets.py): a toolbar
// above the field (bold, italic, bulleted list, link) and, once the person
// types, a live preview under it, rendered by the portal itself (POST to the
// field's data-markdown-preview, cucs_portal/previews.py), so that it shows
// exactly what the page will. The toolbar and the preview come from the
// field's <template>: without JavaScript there is only the plain textarea.
//
// The toolbar is one Tab stop (role="toolbar": the arrows move between its
// buttons); a button acts on the selection, or inserts a placeholder and
// selects it, and gives the focus back to the field. Ctrl+B and Ctrl+I work in
// the field; Enter on a list item starts the next one, and on an empty item
// ends the list. Every change goes through the browser's editing (undo keeps
// working) and fires "input", which the character counter listens to.
(function () {
  "use strict";

  var DEBOUNCE_MS = 400;
  var LIST_ITEM = /^(\s*)([-*+]) (.*)$/;
  var LIST_MARKER = /^(\s*)[-*+] /;

  // Replaces [start, end) of the field's text by `text`, then selects
  // [selectStart, selectEnd).
  function replace(field, start, end, text, selectStart, selectEnd) {
    var expected = field.value.slice(0, start) + text + field.value.slice(end);
    field.focus();
    field.setSelectionRange(start, end);
    var done = false;
    if (text || start !== end) {
      try {
        done = document.execCommand("insertText", false, text);
      } catch (error) {
        done = false;
      }
    }
    if (!done || field.value !== expected) {
      field.value = expected;
      field.dispatchEvent(new Event("input", { bubbles: true }));
    }
    field.setSelectionRange(selectStart, selectEnd);
  }

  function starsAround(value, index, step) {
    var count = 0;
    var at = step < 0 ? index - 1 : index;
    while (value.charAt(at) === "*") {
      count += 1;
      at += step;
    }
    return count;
  }

  // Bold (**) or italic (*) around the selection, or off again when it is
  // already inside those markers; spaces at the selection's ends stay outside
  // (CommonMark ignores "** gras**"), and each line of a selection on several
  // lines is wrapped on its own (emphasis does not cross lines).
  function emphasis(field, marker, placeholder) {
    var value = field.value;
    var start = field.selectionStart;
    var end = field.selectionEnd;
    while (start < end && /\s/.test(value.charAt(start))) {
      start += 1;
    }
    while (end > start && /\s/.test(value.charAt(end - 1))) {
      end -= 1;
    }
    var size = marker.length;
    var before = starsAround(value, start, -1);
    var after = starsAround(value, end, 1);
    var wrapped =
      size === 2
        ? before >= 2 && after >= 2 && before !== 4
        : before % 2 === 1 && after % 2 === 1;
    if (wrapped && start !== end) {
      replace(
        field,
        start - size,
        end + size,
        value.slice(start, end),
        start - size,
        end - size
      );
      return;
    }
    if (start === end) {
      replace(
        field,
        start,
        end,
        marker + placeholder + marker,
        start + size,
        start + size + placeholder.length
      );
      return;
    }
    var selected = value.slice(start, end);
    if (selected.indexOf("\n") === -1) {
      replace(field, start, end, marker + selected + marker, start + size, end + size);
      return;
    }
    var text = selected
      .split("\n")
      .map(function (line) {
        var parts = /^(\s*(?:[-*+] |\d{1,3}[.)] )?)(.*?)(\s*)$/.exec(line);
        return parts[2] ? parts[1] + marker + parts[2] + marker + parts[3] : line;
      })
      .join("\n");
    replace(field, start, end, text, start, start + text.length);
  }

  // The lines the selection touches become list items, or plain lines again
  // when they all are items already. On an empty line: an item with a
  // placeholder, selected, to type over.
  function bulletedList(field, placeholder) {
    var value = field.value;
    var start = field.selectionStart;
    var end = field.selectionEnd;
    if (end > start && value.charAt(end - 1) === "\n") {
      end -= 1;
    }
    var lineStart = value.lastIndexOf("\n", start - 1) + 1;
    var lineEnd = value.indexOf("\n", end);
    if (lineEnd === -1) {
      lineEnd = value.length;
    }
    var lines = value.slice(lineStart, lineEnd).split("\n");
    var filled = lines.filter(function (line) {
      return line.trim();
    });
    if (!filled.length) {
      var item = "- " + placeholder;
      replace(field, lineStart, lineEnd, item, lineStart + 2, lineStart + item.length);
      return;
    }
    var allItems = filled.every(function (line) {
      return LIST_MARKER.test(line);
    });
    var text = lines
      .map(function (line) {
        if (!line.trim()) {
          return line;
        }
        if (allItems) {
          return line.replace(LIST_MARKER, "$1");
        }
        return LIST_MARKER.test(line) ? line : "- " + line.replace(/^\s+/, "");
      })
      .join("\n");
    replace(
      field,
      lineStart,
      lineEnd,
      text,
      lineStart + text.length,
      lineStart + text.length
    );
  }

  // [the selection](https://) with the address selected, to paste over; a
  // selected address becomes the link's address; nothing selected: a
  // placeholder for the link's text, selected.
  function link(field, placeholder) {
    var value = field.value;
    var start = field.selectionStart;
    var end = field.selectionEnd;
    var selected = value.slice(start, end).trim();
    var address = "https://";
    var text;
    if (/^(https?:\/\/|mailto:)\S+$/.test(selected)) {
      text = "[" + placeholder + "](" + selected + ")";
      replace(field, start, end, text, start + 1, start + 1 + placeholder.length);
      return;
    }
    var words = selected.replace(/\s+/g, " ") || placeholder;
    text = "[" + words + "](" + address + ")";
    if (selected) {
      var at = start + words.length + 3;
      replace(field, start, end, text, at, at + address.length);
    } else {
      replace(field, start, end, text, start + 1, start + 1 + words.length);
    }
  }

  // Enter at the end of a list item starts the next one; on an item still
  // empty, it ends the list instead. True when it did either.
  function continueList(field) {
    var value = field.value;
    var at = field.selectionStart;
    if (at !== field.selectionEnd) {
      return false;
    }
    var lineStart = value.lastIndexOf("\n", at - 1) + 1;
    var lineEnd = value.indexOf("\n", at);
    if (lineEnd === -1) {
      lineEnd = value.length;
    }
    if (at !== lineEnd) {
      return false;
    }
    var item = LIST_ITEM.exec(value.slice(lineStart, lineEnd));
    if (!item) {
      return false;
    }
    if (!item[3].trim()) {
      // A blank line, then the caret: what follows is a paragraph of its
      // own, not the continuation of the last item.
      replace(field, lineStart, lineEnd, "\n", lineStart + 1, lineStart + 1);
      return true;
    }
    var next = "\n" + item[1] + item[2] + " ";
    replace(field, at, at, next, at + next.length, at + next.length);
    return true;
  }

  // Puts the new HTML in the preview, changing only the blocks that differ:
  // the live region then announces the paragraph being written, not the
  // whole text again.
  function morph(target, html) {
    var parsed = document.createElement("template");
    parsed.innerHTML = html;
    var incoming = Array.prototype.slice.call(parsed.content.childNodes);
    var current = Array.prototype.slice.call(target.childNodes);
    var first = 0;
    while (
      first < incoming.length &&
      first < current.length &&
      current[first].isEqualNode(incoming[first])
    ) {
      first += 1;
    }
    var lastCurrent = current.length;
    var lastIncoming = incoming.length;
    while (
      lastCurrent > first &&
      lastIncoming > first &&
      current[lastCurrent - 1].isEqualNode(incoming[lastIncoming - 1])
    ) {
      lastCurrent -= 1;
      lastIncoming -= 1;
    }
    var anchor = current[lastCurrent] || null;
    for (var i = first; i < lastCurrent; i += 1) {
      target.removeChild(current[i]);
    }
    for (var j = first; j < lastIncoming; j += 1) {
      target.insertBefore(incoming[j], anchor);
    }
  }

  function csrfToken(field) {
    var input = field.form && field.form.querySelector("[name=csrfmiddlewaretoken]");
    if (input) {
      return input.value;
    }
    var cookie = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return cookie ? decodeURIComponent(cookie[1]) : "";
  }

  function setUpPreview(field, preview) {
    var body = preview.querySelector(".markdown-preview-body");
    var status = preview.querySelector(".markdown-preview-status");
    var timer = null;
    var request = null;
    var sent = 0;

    function refresh() {
      var text = field.value;
      if (request) {
        request.abort();
      }
      if (!text.trim()) {
        sent += 1;
        morph(body, "");
        status.textContent = preview.dataset.empty;
        return;
      }
      var mine = (sent += 1);
      request = new AbortController();
      preview.setAttribute("aria-busy", "true");
      fetch(field.dataset.markdownPreview, {
        method: "POST",
        credentials: "same-origin",
        redirect: "error",
        headers: { "X-CSRFToken": csrfToken(field) },
        body: new URLSearchParams({ text: text }),
        signal: request.signal,
      })
        .then(function (response) {
          return response.text().then(function (content) {
            return { response: response, content: content };
          });
        })
        .then(function (answer) {
          if (mine !== sent) {
            return;
          }
          var type = answer.response.headers.get("Content-Type") || "";
          if (answer.response.ok) {
            morph(body, answer.content);
            status.textContent = "";
          } else if (answer.response.status === 400 && type.indexOf("text/plain") === 0) {
            status.textContent = answer.content;
          } else {
            status.textContent = preview.dataset.unavailable;
          }
        })
        .catch(function (error) {
          if (error.name !== "AbortError" && mine === sent) {
            status.textContent = preview.dataset.unavailable;
          }
        })
        .then(function () {
          if (mine === sent) {
            preview.removeAttribute("aria-busy");
          }
        });
    }

    field.addEventListener("input", function () {
      preview.hidden = false;
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, DEBOUNCE_MS);
    });
  }

  function setUpToolbar(field, toolbar) {
    var buttons = Array.prototype.slice.call(toolbar.querySelectorAll("button"));
    var actions = {
      bold: function (placeholder) {
        emphasis(field, "**", placeholder);
      },
      italic: function (placeholder) {
        emphasis(field, "*", placeholder);
      },
      list: function (placeholder) {
        bulletedList(field, placeholder);
      },
      link: function (placeholder) {
        link(field, placeholder);
      },
    };

    function rove(button) {
      buttons.forEach(function (other) {
        other.tabIndex = other === button ? 0 : -1;
      });
    }
    rove(buttons[0]);

    buttons.forEach(function (button) {
      button.setAttribute("aria-controls", field.id);
      button.addEventListener("click", function () {
        rove(button);
        actions[button.dataset.action](button.dataset.placeholder);
      });
      button.addEventListener("focus", function () {
        rove(button);
      });
    });

    toolbar.addEventListener("keydown", function (event) {
      var index = buttons.indexOf(document.activeElement);
      if (index === -1) {
        return;
      }
      var target = {
        ArrowRight: (index + 1) % buttons.length,
        ArrowLeft: (index - 1 + buttons.length) % buttons.length,
        Home: 0,
        End: buttons.length - 1,
      }[event.key];
      if (target === undefined) {
        return;
      }
      event.preventDefault();
      buttons[target].focus();
    });

    field.addEventListener("keydown", function (event) {
      if (event.isComposing) {
        return;
      }
      var command = (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey;
      var key = event.key.toLowerCase();
      var shortcut = command && { b: "bold", i: "italic" }[key];
      if (shortcut) {
        event.preventDefault();
        var button = toolbar.querySelector('[data-action="' + shortcut + '"]');
        actions[shortcut](button.dataset.placeholder);
        return;
      }
      var plainEnter =
        event.key === "Enter" &&
        !event.shiftKey &&
        !event.ctrlKey &&
        !event.metaKey &&
        !event.altKey;
      if (plainEnter && continueList(field)) {
        event.preventDefault();
      }
    });
  }

  function setUp(field) {
    var template = document.querySelector(
      'template[data-markdown-for="' + field.id + '"]'
    );
    if (!template || !field.id) {
      return;
    }
    var parts = template.content.cloneNode(true);
    var toolbar = parts.querySelector(".markdown-toolbar");
    var preview = parts.querySelector(".markdown-preview");
    var label = document.querySelector('label[for="' + field.id + '"]');
    var name = label ? label.textContent.replace(/\*/g, "").trim() : "";
    toolbar.setAttribute("aria-label", toolbar.dataset.label.replace("__FIELD__", name));
    setUpToolbar(field, toolbar);
    setUpPreview(field, preview);
    field.before(toolbar);
    // Under the field's help and counter: the field's container in a crispy
    // form, else right after the template.
    var container = field.closest("[id^='div_id_']");
    if (container) {
      container.append(preview);
    } else {
      template.after(preview);
    }
  }

  document.querySelectorAll(".markdown-hint[data-with-toolbar]").forEach(function (hint) {
    hint.textContent = hint.dataset.withToolbar;
  });
  document.querySelectorAll("textarea[data-markdown-preview]").forEach(setUp);
})();
