// A running roster import's page: refresh its status every few seconds, in place.
//
// The status region (#import-run, aria-live="polite") carries data-refresh-every while the
// import runs. This script fetches the page again and swaps the region's content, so screen
// readers hear the news without losing their place; it stops once the fetched region no
// longer asks for a refresh (the import has finished). Without JavaScript the page has a
// Refresh link instead.
(function () {
  "use strict";

  const region = document.getElementById("import-run");
  if (!region || !region.dataset.refreshEvery || !window.fetch || !window.DOMParser) {
    return;
  }

  function schedule() {
    const seconds = Number(region.dataset.refreshEvery) || 3;
    window.setTimeout(refresh, seconds * 1000);
  }

  function refresh() {
    window
      .fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("import-run");
        if (!fresh) {
          return;
        }
        region.innerHTML = fresh.innerHTML;
        if (fresh.dataset.refreshEvery) {
          schedule();
        } else {
          delete region.dataset.refreshEvery;
        }
      })
      .catch(schedule); // a network hiccup: try again later
  }

  schedule();
})();
