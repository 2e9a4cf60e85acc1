// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  // The stylesheet already shows the filter sidebar on wide screens; opening the
  // <details> too keeps what assistive technology announces in line with what is shown.
  var wide = window.matchMedia("(min-width: 60em)");
  // On a narrow screen the person opens the filters; ticking one swaps the results in,
  // and the panel they were using stays open rather than closing after every choice.
  var wasOpen = false;

  document.addEventListener("htmx:beforeSwap", function () {
    var details = document.querySelector("details[data-filters]");
    wasOpen = Boolean(details && details.open);
  });

  function openFilters(scope) {
    if (!wide.matches && !wasOpen) {
      return;
    }
    scope.querySelectorAll("details[data-filters]").forEach(function (details) {
      details.open = true;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    openFilters(document);
  });
  document.addEventListener("htmx:load", function (event) {
    openFilters(event.target);
  });
})();
