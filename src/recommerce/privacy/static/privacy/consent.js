// Cookie choices, progressively enhanced: every form here also works without this file.
(function () {
  "use strict";

  function post(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) {
      data.append(submitter.name, submitter.value);
    }
    return fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("The choice was not saved (" + response.status + ").");
      }
      return response.json();
    });
  }

  // The banner's "Accept all" and "Reject all": saved in the background, then the banner
  // goes and a status message says so. On any failure the form is sent the ordinary way.
  function enhanceBanner(banner) {
    var form = banner.querySelector("form[data-consent-form]");
    var status = document.querySelector("[data-consent-status]");
    if (!form) {
      return;
    }
    form.addEventListener("submit", function (event) {
      if (form.dataset.plain === "true") {
        return;
      }
      event.preventDefault();
      var submitter = event.submitter;
      post(form, submitter)
        .then(function () {
          banner.remove();
          if (status) {
            status.textContent = "Your cookie choice is saved. You can change it from “Cookie settings” at the bottom of the page.";
          }
          var main = document.getElementById("main");
          if (main) {
            main.focus({ preventScroll: true });
          }
        })
        .catch(function () {
          form.dataset.plain = "true";
          form.requestSubmit(submitter);
        });
    });
  }

  // Global Privacy Control set by the browser or an extension without the Sec-GPC header:
  // the page renders this form only when the stored choice still allows advertising.
  function reportGlobalPrivacyControl() {
    var form = document.querySelector("form[data-consent-gpc]");
    if (form && navigator.globalPrivacyControl === true) {
      post(form, null).catch(function () {
        // Retried on the next page: the form stays until the opt-out is recorded.
      });
    }
  }

  function start() {
    var banner = document.querySelector("[data-consent-banner]");
    if (banner) {
      enhanceBanner(banner);
    }
    reportGlobalPrivacyControl();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
