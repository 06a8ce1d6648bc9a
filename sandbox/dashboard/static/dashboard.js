// ninja-sandbox dashboard: copy buttons, the live request log and the reset confirmation.
// Every page works without this script; it only adds to them.
"use strict";

(function () {
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.appendChild(area);
      area.select();
      var copied = document.execCommand("copy");
      document.body.removeChild(area);
      if (copied) {
        resolve();
      } else {
        reject(new Error("copy refused"));
      }
    });
  }

  function addCopyButtons() {
    document.querySelectorAll("pre[data-copy]").forEach(function (pre) {
      var label = pre.dataset.copyLabel || "Copy";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy";
      button.textContent = label;
      button.addEventListener("click", function () {
        copyText(pre.textContent).then(
          function () {
            button.textContent = "Copied";
          },
          function () {
            button.textContent = "Select and copy";
          }
        );
        window.setTimeout(function () {
          button.textContent = label;
        }, 2000);
      });
      pre.parentNode.insertBefore(button, pre);
    });
  }

  function emptyRow(body, text) {
    var row = document.createElement("tr");
    row.className = "empty";
    var cell = document.createElement("td");
    cell.colSpan = 5;
    cell.textContent = text;
    row.appendChild(cell);
    body.appendChild(row);
  }

  function liveLog() {
    var body = document.querySelector("tbody[data-live-src]");
    if (!body || !window.EventSource) {
      return;
    }
    var status = document.getElementById("live-status");
    var source = new EventSource(body.dataset.liveSrc);
    function say(text, on) {
      if (status) {
        status.textContent = text;
        status.classList.toggle("on", on);
      }
    }
    source.addEventListener("open", function () {
      say("Live: new requests appear here as they arrive.", true);
    });
    source.addEventListener("error", function () {
      say("Reconnecting to the sandbox…", false);
    });
    source.addEventListener("request", function (event) {
      var template = document.createElement("template");
      template.innerHTML = event.data.trim();
      var row = template.content.firstElementChild;
      if (!row || body.querySelector('tr[data-id="' + row.dataset.id + '"]')) {
        return;
      }
      var empty = body.querySelector("tr.empty");
      if (empty) {
        empty.remove();
      }
      row.classList.add("fresh");
      body.insertBefore(row, body.firstChild);
      var cells = row.querySelectorAll("td");
      if (cells.length > 3) {
        say("New request: " + cells[1].textContent.trim() + " " + cells[2].textContent.trim() +
          " answered " + cells[3].textContent.trim() + ".", true);
      }
    });
    source.addEventListener("cleared", function () {
      body.textContent = "";
      emptyRow(body, "The journal was emptied (the demo was reset).");
    });
    window.addEventListener("pagehide", function () {
      source.close();
    });
  }

  function confirmForms() {
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) {
          event.preventDefault();
        }
      });
    });
  }

  function showCurrentSection() {
    // On narrow screens the navigation scrolls sideways: bring the current section into view.
    var nav = document.querySelector(".sidebar");
    var current = nav && nav.querySelector('[aria-current="page"]');
    if (current && nav.scrollWidth > nav.clientWidth) {
      nav.scrollLeft = Math.max(0, current.offsetLeft - nav.clientWidth / 2 + current.offsetWidth / 2);
    }
  }

  addCopyButtons();
  showCurrentSection();
  liveLog();
  confirmForms();
})();
