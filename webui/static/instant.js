/* Instant results: the results under the search box follow what the reader types,
   without pressing Enter. The page works without this file: the form searches as before.

   After a pause in typing the page for the box's query (the form's other fields too:
   filters, order) is fetched, and its results region (#live-results) replaces this
   page's; the address follows with replaceState, so it can still be shared or reloaded.
   A newer keystroke aborts the request in flight, and an answer that is not the latest
   request's is dropped, so a slow old answer never covers a newer one. The box keeps
   focus; the status line (aria-live) reads the new result count. */
"use strict";

(function () {
  var DELAY_MS = 300;

  function enhance(form, input, status) {
    var timer = null;
    var pending = null;

    function announce(found) {
      var summary = found.querySelector(".summary, .message-title");
      status.textContent = summary ? summary.textContent.replace(/\s+/g, " ").trim() : "";
    }

    function refresh() {
      if (!input.value.trim()) {
        return;
      }
      var url = form.action + "?" + new URLSearchParams(new FormData(form)).toString();
      if (pending) {
        pending.abort();
      }
      var mine = new AbortController();
      pending = mine;
      fetch(url, {signal: mine.signal})
        .then(function (response) {
          return response.text();
        })
        .then(function (html) {
          if (pending !== mine) {
            return;
          }
          pending = null;
          var page = new DOMParser().parseFromString(html, "text/html");
          var found = page.getElementById("live-results");
          var region = document.getElementById("live-results");
          if (!found || !region) {
            return;
          }
          region.replaceWith(document.adoptNode(found));
          document.title = page.title;
          history.replaceState(null, "", url);
          announce(found);
        })
        .catch(function () {
          // Aborted by a newer keystroke, or offline: Enter still searches.
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, DELAY_MS);
    });
    form.addEventListener("submit", function () {
      clearTimeout(timer);
      if (pending) {
        pending.abort();
      }
    });
  }

  var status = document.getElementById("live-status");
  if (status && document.getElementById("live-results")) {
    document.querySelectorAll("form.search-form").forEach(function (form) {
      enhance(form, form.elements.q, status);
    });
  }
})();
