// Pre-fill the date of birth and sex from the IIN as it is typed; the person may correct them.
(function () {
  "use strict";
  var iin = document.getElementById("id_iin");
  var birth = document.getElementById("id_birth_date");
  var sex = document.getElementById("id_sex");
  if (!iin || !birth || !sex) return;
  var centuries = { 1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000 };
  function checkDigit(d) {
    var w1 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], w2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
    var sum = function (w) { var s = 0; for (var i = 0; i < 11; i++) s += d[i] * w[i]; return s % 11; };
    var r = sum(w1);
    if (r === 10) r = sum(w2);
    return r === 10 ? null : r;
  }
  iin.addEventListener("input", function () {
    var v = iin.value.replace(/\D/g, "");
    if (v.length !== 12) return;
    var d = v.split("").map(Number);
    if (checkDigit(d) !== d[11] || !centuries[d[6]]) return;
    var year = centuries[d[6]] + Number(v.slice(0, 2));
    var dayFirst = v.slice(4, 6) + "." + v.slice(2, 4) + "." + year;  // the DD.MM.YYYY our date fields take
    if (!birth.value || birth.dataset.fromIin === "1") { birth.value = dayFirst; birth.dataset.fromIin = "1"; }
    if (!sex.value || sex.dataset.fromIin === "1") { sex.value = d[6] % 2 ? "M" : "F"; sex.dataset.fromIin = "1"; }
  });
  birth.addEventListener("change", function () { birth.dataset.fromIin = "0"; });
  sex.addEventListener("change", function () { sex.dataset.fromIin = "0"; });
})();
