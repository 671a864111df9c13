// Count down the time left; when it reaches zero, submit the test (the server enforces it anyway).
(function () {
  "use strict";
  var timer = document.getElementById("timer");
  var form = document.getElementById("test-form");
  if (!timer || !form) return;
  var end = Date.now() + Number(timer.dataset.seconds) * 1000;
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    timer.textContent = Math.floor(left / 60) + ":" + pad(left % 60);
    if (left === 0) {
      // The time is up: nothing left to ask, submit without the confirmation step.
      var confirm = document.createElement("input");
      confirm.type = "hidden"; confirm.name = "confirm"; confirm.value = "1";
      form.appendChild(confirm);
      form.submit();
      return;
    }
    setTimeout(tick, 1000);
  }
  tick();
})();
