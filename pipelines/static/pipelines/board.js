// The pipeline board: drag a card to another column (SortableJS), pick a stage from the card's
// "⋯" menu, or press Alt+←/→ on a card; each posts the move with the stage it was seen in, then
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
  }

  // Returns a promise of true (moved) or false (refused; the caller puts the card back).
  function postMove(card, toStageId) {
    var body = new FormData();
    body.append("to_stage_id", toStageId);
    body.append("expected_from_stage_id", card.getAttribute("data-stage-id"));
    card.classList.add("is-moving");
    return fetch(card.getAttribute("data-move-url") + (query ? "?" + query : ""), {
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

  // Menu and keyboard moves: the card goes to the top of its new column, focus stays on it.
  function moveTo(card, toStageId) {
    if (!toStageId || toStageId === card.getAttribute("data-stage-id")) return;
    postMove(card, toStageId).then(function (moved) {
      if (!moved) return;
      var target = listOf(toStageId);
      if (target) {
        target.insertBefore(card, target.firstChild);
        card.scrollIntoView({ block: "nearest", inline: "nearest" });
        card.querySelector(".pl-card-name").focus();
      }
    });
  }

  var stageIds = Array.prototype.map.call(board.querySelectorAll(".pl-column"), function (col) {
    return col.getAttribute("data-stage-id");
  });

  // One menu for every card: the stages to move to, opened under the card's "⋯" button.
  var menu = document.getElementById("pl-stage-menu");
  var menuCard = null;
  var menuButton = null;

  function closeMenu(returnFocus) {
    if (menu.hidden) return;
    menu.hidden = true;
    if (menuButton) menuButton.setAttribute("aria-expanded", "false");
    if (returnFocus && menuButton) menuButton.focus();
    menuCard = menuButton = null;
  }

  function openMenu(button) {
    menuButton = button;
    menuCard = button.closest(".pl-card");
    var current = menuCard.getAttribute("data-stage-id");
    var items = menu.querySelectorAll("[role=menuitem]");
    items.forEach(function (item) {
      var here = item.getAttribute("data-stage-id") === current;
      item.hidden = here;
    });
    menu.setAttribute("aria-label", "Move " + menuCard.querySelector(".pl-card-name").textContent + " to");
    menu.hidden = false;
    var box = button.getBoundingClientRect();
    var width = menu.offsetWidth;
    menu.style.top = Math.min(box.bottom + 4, window.innerHeight - menu.offsetHeight - 8) + "px";
    menu.style.left = Math.max(8, Math.min(box.right - width, window.innerWidth - width - 8)) + "px";
    button.setAttribute("aria-expanded", "true");
    var first = menu.querySelector("[role=menuitem]:not([hidden])");
    if (first) first.focus();
  }

  board.addEventListener("click", function (event) {
    var button = event.target.closest(".pl-card-menu");
    if (!button) return;
    event.preventDefault();
    if (!menu.hidden && menuButton === button) closeMenu(true);
    else openMenu(button);
  });

  menu.addEventListener("click", function (event) {
    var item = event.target.closest("[role=menuitem]");
    if (!item || !menuCard) return;
    var card = menuCard;
    closeMenu(false);
    moveTo(card, item.getAttribute("data-stage-id"));
  });

  menu.addEventListener("keydown", function (event) {
    var items = Array.prototype.filter.call(menu.querySelectorAll("[role=menuitem]"), function (i) {
      return !i.hidden;
    });
    var at = items.indexOf(document.activeElement);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      items[(at + step + items.length) % items.length].focus();
    } else if (event.key === "Escape" || event.key === "Tab") {
      event.preventDefault();
      closeMenu(true);
    }
  });

  document.addEventListener("click", function (event) {
    if (!menu.hidden && !menu.contains(event.target) && !event.target.closest(".pl-card-menu")) {
      closeMenu(false);
    }
  });

  // Keyboard: Alt+→ / Alt+← on a card moves it to the next / previous stage.
  board.addEventListener("keydown", function (event) {
    if (!event.altKey || (event.key !== "ArrowRight" && event.key !== "ArrowLeft")) return;
    var card = event.target.closest(".pl-card");
    if (!card) return;
    event.preventDefault();
    var at = stageIds.indexOf(card.getAttribute("data-stage-id"));
    var next = stageIds[at + (event.key === "ArrowRight" ? 1 : -1)];
    if (next) moveTo(card, next);
  });

  // Drag and drop between columns.
  if (window.Sortable) {
    board.querySelectorAll(".pl-cards").forEach(function (list) {
      window.Sortable.create(list, {
        group: "pipeline",
        draggable: ".pl-card",
        filter: "button",
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
    if (event.key === "Escape" && menu.hidden) quick.hidden = true;
  });

  formatMoney(board);
})();
