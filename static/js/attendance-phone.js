// The attendance page opened on a phone (templates/training/attendance.html, without ?day= or
// ?view=grid): go on to the day view of today, or the nearest class day, before the whole-course grid
// is drawn. Loaded in <head>, so the grid's rows are not laid out first; the day view links back to
// the grid with ?view=grid. Without JavaScript the grid stays, with its "Today" button.
(function () {
  "use strict";
  var url = document.currentScript && document.currentScript.dataset.dayUrl;
  if (url && window.matchMedia && window.matchMedia("(max-width: 767.98px)").matches) {
    window.location.replace(url);
  }
})();
