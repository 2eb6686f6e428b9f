// Live updates (SPEC §8.3): /events says when what this person sees has changed; the page
// then fetches itself again and swaps its content in. Without JavaScript the page works
// the same, by reload. A reason being typed is not swept away: the swap waits for it.
(function () {
  var list = document.querySelector("[data-state]");
  if (!list || !window.EventSource || !window.fetch) return;
  var shown = list.getAttribute("data-state");
  var waiting = false;

  function typing() {
    var field = document.activeElement;
    return field && field.name === "reason" && field.value !== "";
  }

  function refresh() {
    if (typing()) { waiting = true; return; }
    waiting = false;
    fetch(window.location.pathname, { credentials: "same-origin" })
      .then(function (answer) { return answer.ok ? answer.text() : Promise.reject(answer.status); })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html").querySelector("main");
        if (next) document.querySelector("main").replaceWith(next);
      })
      .catch(function () {});
  }

  var source = new EventSource("/events");
  source.addEventListener("desk", function (event) {
    if (event.data !== shown) { shown = event.data; refresh(); }
  });
  document.addEventListener("focusout", function () { if (waiting) refresh(); });
})();
