/* Suggestions under the search box while the reader types (the ARIA 1.2 combobox
   pattern). The page works without this file: it only adds the list.

   The box says where suggestions come from (data-suggest: /api/suggest, which answers
   ["typed", ["completion", ...]]). Requests wait for a pause in typing, and an answer
   that arrives after the reader typed on is dropped. Down/Up move through the list,
   Enter searches the chosen completion, Escape closes the list. */
"use strict";

(function () {
  var DELAY_MS = 150;

  function enhance(input) {
    var form = input.form;
    var list = document.createElement("ul");
    list.id = input.id + "-suggestions";
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "اقتراحات البحث");
    list.hidden = true;
    input.parentNode.appendChild(list);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");

    var timer = null;
    var pending = null;
    var active = -1;

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var all = options();
      active = index;
      for (var i = 0; i < all.length; i++) {
        all[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", all[index].id);
        all[index].scrollIntoView({block: "nearest"});
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(text) {
      input.value = text;
      close();
      if (form.requestSubmit) {
        form.requestSubmit();
      } else {
        form.submit();
      }
    }

    function show(completions) {
      list.textContent = "";
      completions.forEach(function (text, i) {
        var option = document.createElement("li");
        option.id = list.id + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dir = "auto";
        option.textContent = text;
        // mousedown, not click: the box keeps focus, so blur does not close the list first.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(text);
        });
        list.appendChild(option);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (completions.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
    }

    function fetchSuggestions() {
      var typed = input.value;
      if (pending) {
        pending.abort();
      }
      if (!typed.trim()) {
        close();
        return;
      }
      pending = new AbortController();
      fetch(input.dataset.suggest + "?q=" + encodeURIComponent(typed), {signal: pending.signal})
        .then(function (response) {
          return response.ok ? response.json() : [typed, []];
        })
        .then(function (answer) {
          if (input.value === typed && document.activeElement === input) {
            show(answer[1] || []);
          }
        })
        .catch(function () {
          // Aborted or offline: the reader can still search what they typed.
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var count = options().length;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!count) {
          return;
        }
        event.preventDefault();
        if (list.hidden) {
          list.hidden = false;
          input.setAttribute("aria-expanded", "true");
        }
        var step = event.key === "ArrowDown" ? 1 : -1;
        // Positions -1 (the box, as typed) to count - 1, going round: past either end
        // of the list the selection goes back to the box.
        highlight((active + 1 + step + count + 1) % (count + 1) - 1);
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        choose(options()[active].textContent);
      } else if (event.key === "Escape" && !list.hidden) {
        // Only closes the list; a second Escape clears the box as usual.
        event.preventDefault();
        close();
      }
    });

    input.addEventListener("blur", close);
  }

  document.querySelectorAll("input[data-suggest]").forEach(enhance);
})();
