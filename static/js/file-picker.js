// Show the chosen file's name beside our file button (the native input is visually hidden).
(function () {
  "use strict";
  document.querySelectorAll(".file-picker-input").forEach(function (input) {
    var name = input.parentElement.querySelector(".file-picker-name");
    if (!name) return;
    input.addEventListener("change", function () {
      name.textContent = input.files && input.files.length ? input.files[0].name : name.dataset.empty;
    });
  });
})();
