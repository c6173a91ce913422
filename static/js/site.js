/* IASSIST site: small progressive enhancements on top of htmx (no inline scripts, so the
   Content-Security-Policy stays strict). Everything works without this file. */
(function () {
  "use strict";
  // aria-busy on the region being replaced while a request is in flight.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail.target;
    if (target) target.setAttribute("aria-busy", "true");
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (target) target.removeAttribute("aria-busy");
  });
  // htmx keeps the page for the back button as HTML (a snapshot of its attributes), but
  // a form's state lives in properties: after a choice the radio just chosen is checked
  // while the `checked` attribute is still on the previous one. Once the results of a
  // choice are shown, write the form's state into its attributes, so the snapshot taken
  // when the visitor moves on shows the form as it was with those results (the new,
  // pending choice is still only a property then). Otherwise going back shows one
  // filter's results under a form set to another.
  function commitFormState() {
    document.querySelectorAll("input[type=radio], input[type=checkbox]").forEach(function (input) {
      input.toggleAttribute("checked", input.checked);
    });
    document.querySelectorAll("option").forEach(function (option) {
      option.toggleAttribute("selected", option.selected);
    });
    // Text typed into a search field (the programme search) lives in its value property.
    document.querySelectorAll("input[type=search]").forEach(function (input) {
      input.setAttribute("value", input.value);
    });
  }
  document.addEventListener("DOMContentLoaded", commitFormState);
  document.addEventListener("htmx:afterSettle", commitFormState);
  // The snapshot is taken while the request that replaces it is in flight, so it carries
  // aria-busy="true"; a restored page is not busy.
  document.addEventListener("htmx:historyRestore", function () {
    document.querySelectorAll("[aria-busy]").forEach(function (element) {
      element.removeAttribute("aria-busy");
    });
  });
  document.addEventListener("htmx:responseError", function (event) {
    var target = event.detail.target;
    if (target) target.removeAttribute("aria-busy");
    // Let the browser show the server's full (localized) error page.
    var path = event.detail.pathInfo && event.detail.pathInfo.finalRequestPath;
    if (path) window.location.assign(path);
  });
})();
