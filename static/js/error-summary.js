// After a failed submit, move the focus to the error summary so it is read out and seen first;
// its links put the focus in the field (and show the field's label), as GOV.UK's error summary does.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    var label = document.querySelector("label[for='" + field.id + "']") || field;
    var legend = field.closest("fieldset") && field.closest("fieldset").querySelector("legend");
    (legend && (field.type === "radio" || field.type === "checkbox") ? legend : label).scrollIntoView();
    field.focus({ preventScroll: true });
    history.replaceState(null, "", "#" + field.id);
  });
})();
