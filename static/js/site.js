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
  document.addEventListener("htmx:responseError", function (event) {
    var target = event.detail.target;
    if (target) target.removeAttribute("aria-busy");
    // Let the browser show the server's full (localized) error page.
    var path = event.detail.pathInfo && event.detail.pathInfo.finalRequestPath;
    if (path) window.location.assign(path);
  });
})();
