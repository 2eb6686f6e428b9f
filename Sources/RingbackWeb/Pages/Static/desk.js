// Live updates (SPEC §8.3): the page names its stream (data-events) and the state of each
// part it follows (data-live-callbacks, -alerts, -board); when the stream's state of a
// part differs, the page fetches itself again and swaps its content in. Without
// JavaScript the page works the same, by reload. A reason being typed is not swept away:
// the swap waits for it.
(function () {
  var live = document.querySelector("[data-events]");
  if (!live || !window.EventSource || !window.fetch) return;
  var waiting = false;

  function typing() {
    var field = document.activeElement;
    return field && (field.name === "reason" || field.name === "note" || field.name === "due_at") && field.value !== "";
  }

  function refresh() {
    if (typing()) { waiting = true; return; }
    waiting = false;
    fetch(window.location.pathname + window.location.search, { credentials: "same-origin" })
      .then(function (answer) { return answer.ok ? answer.text() : Promise.reject(answer.status); })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html").querySelector("main");
        if (next) document.querySelector("main").replaceWith(next);
      })
      .catch(function () {});
  }

  var source = new EventSource(live.getAttribute("data-events"));
  ["callbacks", "alerts", "board"].forEach(function (part) {
    var shown = live.getAttribute("data-live-" + part);
    if (shown === null) return;
    source.addEventListener(part, function (event) {
      if (event.data !== shown) { shown = event.data; refresh(); }
    });
  });
  document.addEventListener("focusout", function () { if (waiting) refresh(); });
})();
