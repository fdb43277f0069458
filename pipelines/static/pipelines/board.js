// The pipeline board: drag a card to another column (SortableJS) or use the card's own
// "Move to" select (keyboard); either posts the move with the stage it was seen in, then
// refreshes every column's count and totals from the server's answer. A 409 (someone moved the
// lead first) puts the card back and says where the lead is now.
(function () {
  "use strict";
  var board = document.querySelector("[data-board]");
  if (!board) return;
  var alertBox = document.getElementById("pl-alert");
  var status = document.getElementById("pl-status");
  var query = board.getAttribute("data-query") || "";

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  // Amounts in the reader's locale: 1 250,00 € for a French browser, $1,250.00 for a US one.
  function formatMoney(root) {
    (root || document).querySelectorAll(".pl-money[data-currency]").forEach(function (el) {
      try {
        el.textContent = new Intl.NumberFormat(navigator.language, {
          style: "currency", currency: el.getAttribute("data-currency"),
        }).format(parseFloat(el.getAttribute("data-minor-major")));
      } catch (e) { /* unknown currency code: keep the server's text */ }
    });
  }

  function say(message, isError) {
    status.textContent = message;
    if (isError) {
      alertBox.textContent = message;
      alertBox.hidden = false;
    } else {
      alertBox.hidden = true;
    }
  }

  function refreshColumns(columns) {
    columns.forEach(function (col) {
      var section = board.querySelector(".pl-column[data-stage-id='" + col.stage_id + "']");
      if (!section) return;
      section.querySelector("[data-count]").textContent = col.count;
      var totals = section.querySelector("[data-totals]");
      totals.innerHTML = col.totals_html;
      formatMoney(totals);
      var list = section.querySelector(".pl-cards");
      var empty = list.querySelector(".pl-empty");
      if (empty && list.querySelector(".pl-card")) empty.remove();
    });
  }

  function setStage(card, stageId) {
    card.setAttribute("data-stage-id", stageId);
    var form = card.querySelector(".pl-move");
    form.querySelector("[name=expected_from_stage_id]").value = stageId;
    form.querySelector("[name=to_stage_id]").value = stageId;
  }

  // Returns a promise of true (moved) or false (refused; the caller puts the card back).
  function postMove(card, toStageId) {
    var form = card.querySelector(".pl-move");
    var fromStageId = form.querySelector("[name=expected_from_stage_id]").value;
    var body = new FormData();
    body.append("to_stage_id", toStageId);
    body.append("expected_from_stage_id", fromStageId);
    card.classList.add("is-moving");
    return fetch(form.action + (query ? "?" + query : ""), {
      method: "POST",
      body: body,
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      card.classList.remove("is-moving");
      if (!result.ok) {
        say(result.data.detail || "The move failed.", true);
        return false;
      }
      setStage(card, result.data.stage_id);
      refreshColumns(result.data.columns);
      var name = card.querySelector(".pl-card-name").textContent;
      var column = board.querySelector(".pl-column[data-stage-id='" + result.data.stage_id + "'] h2");
      say(name + " moved to " + (column ? column.textContent : "its new stage") + ".", false);
      return true;
    }).catch(function () {
      card.classList.remove("is-moving");
      say("The move could not reach the server; try again.", true);
      return false;
    });
  }

  function listOf(stageId) {
    return board.querySelector(".pl-cards[data-stage-id='" + stageId + "']");
  }

  // Keyboard (and no-drag) path: the card's select + Move button.
  board.addEventListener("submit", function (event) {
    var form = event.target.closest(".pl-move");
    if (!form) return;
    event.preventDefault();
    var card = form.closest(".pl-card");
    var toStageId = form.querySelector("[name=to_stage_id]").value;
    if (toStageId === card.getAttribute("data-stage-id")) return;
    postMove(card, toStageId).then(function (moved) {
      if (!moved) return;
      var target = listOf(toStageId);
      if (target) {
        target.insertBefore(card, target.firstChild);
        card.querySelector(".pl-card-name").focus();
      }
    });
  });

  // Drag and drop between columns.
  if (window.Sortable) {
    board.querySelectorAll(".pl-cards").forEach(function (list) {
      window.Sortable.create(list, {
        group: "pipeline",
        draggable: ".pl-card",
        filter: "select, button, input",
        preventOnFilter: false,
        sort: false,
        forceFallback: true, // mouse and touch events: same behaviour in every browser
        animation: 120,
        onEnd: function (evt) {
          if (evt.from === evt.to) return;
          var card = evt.item;
          postMove(card, evt.to.getAttribute("data-stage-id")).then(function (moved) {
            if (!moved) evt.from.insertBefore(card, evt.from.children[evt.oldIndex] || null);
          });
        },
      });
    });
  }

  // Quick view: opens beside the board, closes with its button or Escape.
  var quick = document.getElementById("pl-quick");
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target === quick) {
      quick.hidden = false;
      formatMoney(quick);
    } else {
      formatMoney(event.detail.target);
    }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-quick-close]")) quick.hidden = true;
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") quick.hidden = true;
  });

  formatMoney(board);
})();
