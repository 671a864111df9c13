// The attendance grid and day view offline (templates/training/attendance.html). Every mark gets a key
// (client_id) before htmx sends it; when the request fails for want of a network, the mark is kept
// in localStorage and replayed when the browser is online again, and every 15 s. The server saves
// a key once, so a mark sent twice is stored once and never overwrites a newer one.
(function () {
  "use strict";
  var KEY = "bastau.attendance.pending";
  var box = document.getElementById("att-pending");
  var sending = false;

  function load() {
    try { return JSON.parse(localStorage.getItem(KEY) || "[]"); } catch (e) { return []; }
  }
  function store(items) { localStorage.setItem(KEY, JSON.stringify(items)); show(items); }
  function show(items) {
    if (!box) { return; }
    items = items || load();
    box.textContent = box.dataset.template.replace("{n}", items.length);
    box.classList.toggle("d-none", items.length === 0);
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ (crypto.getRandomValues(new Uint8Array(1))[0] & (15 >> (c / 4)))).toString(16);
    });
  }
  function csrf() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
  }

  // Give each mark its key, and keep what was sent so a failed request can be kept.
  document.body.addEventListener("htmx:configRequest", function (evt) {
    if (!evt.detail.elt.classList || !evt.detail.elt.classList.contains("att-form")) { return; }
    var params = evt.detail.parameters;
    var key = newKey();
    if (params instanceof FormData) { params.set("client_id", key); } else { params.client_id = key; }
    var prompt = evt.detail.headers["HX-Prompt"];
    if (prompt) {
      if (params instanceof FormData) { params.set("change_reason", prompt); } else { params.change_reason = prompt; }
    }
  });

  // A cell of the grid shows its mark's code under the (transparent) list: show the one chosen at
  // once, before the server answers, and while it waits offline.
  document.body.addEventListener("change", function (evt) {
    var select = evt.target;
    var form = select.closest && select.closest(".att-compact");
    if (!form || select.tagName !== "SELECT") { return; }
    var code = form.querySelector(".att-code");
    var option = select.options[select.selectedIndex];
    if (code && option) { code.textContent = option.dataset.code || ""; }
  });

  function paramsOf(form) {
    var data = {};
    new FormData(form).forEach(function (v, k) { data[k] = v; });
    return data;
  }

  // A village connection can hang rather than fail: give up on a cell after 15 s and keep it (a request
  // that did arrive is found by its key when the mark is sent again).
  if (window.htmx) { htmx.config.timeout = 15000; }

  // No answer at all (offline, the connection dropped, timed out): keep the mark on this device.
  function keep(evt) {
    var form = evt.detail.elt;
    if (!form.classList || !form.classList.contains("att-form")) { return; }
    var data = paramsOf(form);
    var sent = evt.detail.requestConfig && evt.detail.requestConfig.parameters;
    if (sent) {
      var key = sent instanceof FormData ? sent.get("client_id") : sent.client_id;
      var why = sent instanceof FormData ? sent.get("change_reason") : sent.change_reason;
      data.client_id = key;
      if (why) { data.change_reason = why; }
    }
    data.client_id = data.client_id || newKey();
    data.url = form.getAttribute("hx-post");
    data.cell = form.closest("td").id;
    var items = load().filter(function (item) { return item.cell !== data.cell || item.url !== data.url; });
    // A newer change of the same cell replaces the waiting one; its version is still the one seen.
    var previous = load().filter(function (item) { return item.cell === data.cell && item.url === data.url; })[0];
    if (previous) { data.expected_version = previous.expected_version; }
    items.push(data);
    store(items);
    form.closest("td").classList.add("att-pending");
  }
  document.body.addEventListener("htmx:sendError", keep);
  document.body.addEventListener("htmx:timeout", keep);

  // A refused mark (409 conflict, 400) comes back as the cell with its message: show it.
  document.body.addEventListener("htmx:beforeSwap", function (evt) {
    var status = evt.detail.xhr.status;
    if (status === 409 || status === 400 || status === 403) {
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
    }
  });

  function replay() {
    var items = load();
    if (sending || items.length === 0) { show(items); return; }
    sending = true;
    var item = items[0];
    var body = new FormData();
    Object.keys(item).forEach(function (k) { if (k !== "url" && k !== "cell") { body.append(k, item[k]); } });
    fetch(item.url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrf(), "HX-Request": "true" },
    }).then(function (response) {
      return response.text().then(function (html) {
        if (response.redirected || response.status >= 500 || response.status === 429) { throw new Error("later"); }
        // Stored, or refused for a reason the trainer must see: either way it leaves the queue.
        store(load().filter(function (other) { return other.client_id !== item.client_id; }));
        var cell = document.getElementById(item.cell);
        if (cell && html.indexOf("<td") !== -1) {
          cell.outerHTML = html;
          var fresh = document.getElementById(item.cell);
          if (fresh && window.htmx) { htmx.process(fresh); }
        }
        sending = false;
        replay();
      });
    }).catch(function () { sending = false; show(); });
  }

  window.addEventListener("online", replay);
  setInterval(replay, 15000);
  show();
  replay();
})();
