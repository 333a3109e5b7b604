// The page's browser-side behaviour (loaded in <head>; everything is delegated from document,
// so it keeps working while Gradio re-renders the results).
(function () {
  "use strict";
  // Sentence by sentence: hovering or focusing a sentence lights up its counterpart.
  function mark(target) {
    var s = target && target.closest ? target.closest(".ins-sent") : null;
    var key = s ? s.getAttribute("data-s") : null;
    document.querySelectorAll(".ins-sent.ins-hl").forEach(function (el) {
      if (el.getAttribute("data-s") !== key) el.classList.remove("ins-hl");
    });
    if (!s) return;
    var scope = s.closest(".ins-doc") || document;
    scope.querySelectorAll('.ins-sent[data-s="' + key + '"]').forEach(function (el) {
      el.classList.add("ins-hl");
    });
  }
  document.addEventListener("mouseover", function (e) { mark(e.target); });
  document.addEventListener("focusin", function (e) { mark(e.target); });

  // "Show the original" needs no script: style.css shows it while the box is ticked (:has).

  // Ctrl+Enter (Cmd+Enter) translates; Enter alone does when the box holds one link.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || e.isComposing) return;
    var box = e.target && e.target.closest ? e.target.closest("#ins-source") : null;
    if (!box || e.target.tagName !== "TEXTAREA") return;
    var oneLink = /^\s*https?:\/\/\S+\s*$/i.test(e.target.value);
    if (e.ctrlKey || e.metaKey || (oneLink && !e.shiftKey && !e.altKey)) {
      e.preventDefault();
      var go = document.getElementById("ins-go");
      if (go && !go.disabled) go.click();
    }
  });
})();
