// The business plan's editor (templates/plans/edit.html): saved as the participant types.
//
// Every change is kept at once in localStorage (with the draft revision the text was based on), and
// sent to the server 800 ms after the last keystroke, one request at a time. The server answers with
// its new revision; a save based on an older revision than the server's is refused (409), so a stale
// tab never overwrites a newer text: the page says so and the text stays on this device. A request
// that gets no answer (offline, a dropped connection) is sent again when the browser is back online
// and every 10 s. The figures of the financial plan come from the server (plans/finance.py).
(function () {
  "use strict";
  var form = document.getElementById("plan-form");
  if (!form) { return; }
  var state = document.getElementById("plan-save-state");
  var key = form.dataset.key;
  var tab = (window.crypto && crypto.randomUUID) ? crypto.randomUUID() : String(Date.now()) + Math.random();
  var revision = parseInt(form.dataset.revision, 10) || 0;
  var timer = null;
  var inFlight = false;
  var dirty = false;
  var blocked = false;
  var submitAfter = null;

  function csrf() {
    var field = form.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }
  function snapshot() {
    var data = {};
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || name === "revision") { return; }
      (data[name] = data[name] || []).push(value);
    });
    return data;
  }
  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
  function loadLocal() {
    try { return JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function keepLocal() {
    try { localStorage.setItem(key, JSON.stringify({ revision: revision, data: snapshot(), at: Date.now() })); } catch (e) { /* full or private mode: the server copy is the one */ }
  }
  function dropLocal() { try { localStorage.removeItem(key); } catch (e) { /* nothing kept */ } }
  function show(kind, extra) {
    if (!state) { return; }
    state.textContent = state.dataset[kind] + (extra ? " " + extra : "");
    state.dataset.state = kind;
  }
  function clock() {
    var now = new Date();
    return ("0" + now.getHours()).slice(-2) + ":" + ("0" + now.getMinutes()).slice(-2);
  }

  function showErrors(errors) {
    form.querySelectorAll("[data-error-for]").forEach(function (box) {
      var name = box.dataset.errorFor;
      var message = errors[name] ? errors[name].join(" ") : "";
      box.textContent = message;
      var input = form.querySelector("[aria-describedby~='" + box.id + "']");
      if (input) { input.classList.toggle("is-invalid", !!message); input.setAttribute("aria-invalid", message ? "true" : "false"); }
      if (!input && box.id === "") { box.classList.toggle("d-none", !message); }
    });
  }

  function save() {
    if (inFlight || blocked || !dirty) { return; }
    inFlight = true;
    dirty = false;
    show("saving");
    var body = new FormData(form);
    body.set("revision", String(revision));
    body.set("client", tab);
    fetch(form.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-Autosave": "1", "X-CSRFToken": csrf(), "Accept": "application/json" },
    }).then(function (response) {
      if (response.status >= 500 || response.status === 429 || response.redirected) { throw new Error("later"); }
      return response.json().then(function (json) { return { status: response.status, body: json }; });
    }).then(function (answer) {
      inFlight = false;
      if (answer.status === 409) {
        blocked = true;
        keepLocal();
        show(answer.body.code === "plans.frozen" ? "frozen" : "stale");
        return;
      }
      if (typeof answer.body.revision === "number") {
        revision = answer.body.revision;
        form.dataset.revision = String(revision);
        form.elements.revision.value = String(revision);
      }
      showErrors(answer.body.errors || {});
      if (answer.body.figures_html) {
        var figures = document.getElementById("plan-figures");
        if (figures) { figures.outerHTML = answer.body.figures_html; }
      }
      var failed = Object.keys(answer.body.errors || {}).length > 0;
      if (dirty || failed) { keepLocal(); } else { dropLocal(); }
      show(failed ? "error" : "saved", failed ? "" : (answer.body.saved_at_display || clock()));
      if (dirty) { schedule(); } else if (submitAfter && !failed) { var target = submitAfter; submitAfter = null; target.submit(); }
    }).catch(function () {
      inFlight = false;
      dirty = true;
      submitAfter = null;
      keepLocal();
      show("offline");
    });
  }

  function schedule() {
    dirty = true;
    keepLocal();
    clearTimeout(timer);
    timer = setTimeout(save, 800);
  }

  function apply(data) {
    var items = data["startup-item"] || [];
    var rows = form.querySelectorAll(".startup-row");
    for (var n = rows.length; n < items.length; n++) { addRow(); }
    Object.keys(data).forEach(function (name) {
      var fields = form.querySelectorAll("[name='" + name + "']");
      data[name].forEach(function (value, i) { if (fields[i]) { fields[i].value = value; } });
    });
  }

  var addButton = document.getElementById("startup-add");
  function addRow() {
    var body = form.querySelector("#startup-table tbody");
    var rows = body.querySelectorAll(".startup-row");
    var max = parseInt(addButton.dataset.max, 10) || 30;
    if (rows.length >= max) { return; }
    var fresh = rows[rows.length - 1].cloneNode(true);
    var n = rows.length;
    fresh.querySelectorAll("input").forEach(function (input) { input.value = ""; input.classList.remove("is-invalid"); });
    fresh.querySelectorAll("[data-error-for]").forEach(function (box) {
      var part = box.dataset.errorFor.split("-").pop();
      box.id = "err-startup-" + n + "-" + part;
      box.dataset.errorFor = "startup-" + n + "-" + part;
      box.textContent = "";
      box.previousElementSibling.setAttribute("aria-describedby", box.id);
      var label = box.previousElementSibling.getAttribute("aria-label").replace(/\d+$/, String(n + 1));
      box.previousElementSibling.setAttribute("aria-label", label);
    });
    body.appendChild(fresh);
    addButton.disabled = rows.length + 1 >= max;
  }
  if (addButton) { addButton.addEventListener("click", addRow); }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  form.addEventListener("submit", function (evt) { evt.preventDefault(); dirty = true; clearTimeout(timer); save(); });
  var submitForm = document.getElementById("plan-submit-form");
  if (submitForm) {
    submitForm.addEventListener("submit", function (evt) {
      if (dirty || inFlight) { evt.preventDefault(); submitAfter = submitForm; clearTimeout(timer); save(); }
    });
  }
  window.addEventListener("online", function () { if (dirty) { save(); } });
  window.addEventListener("offline", function () { if (dirty) { show("offline"); } });
  setInterval(function () { if (dirty && !inFlight) { save(); } }, 10000);

  // Text kept on this device from an earlier visit (offline, or the page closed before the save).
  var kept = loadLocal();
  var banner = document.getElementById("plan-local-copy");
  if (kept && kept.data) {
    if (same(kept.data, snapshot())) {
      dropLocal();
    } else if (kept.revision === revision) {
      apply(kept.data); // nothing newer on the server: the kept text simply did not reach it
      schedule();
    } else if (banner) {
      banner.classList.remove("d-none");
      document.getElementById("plan-use-local").addEventListener("click", function () {
        apply(kept.data);
        banner.classList.add("d-none");
        schedule(); // based on the revision this page shows: the participant chose this text
      });
      document.getElementById("plan-drop-local").addEventListener("click", function () {
        dropLocal();
        banner.classList.add("d-none");
      });
    }
  }
})();
