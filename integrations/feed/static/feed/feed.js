// The feed's keyboard triage and one-click actions: j/k move, o open, l liked, c comment,
// n connected, s skip, e write. An action posts to the card's engage URL and, in the default
// "not engaged by me yet" view, the card leaves the page at once (no reload).
(function () {
  "use strict";

  var current = null;

  function feed() { return document.getElementById("feed"); }
  function cards() { return Array.prototype.slice.call(document.querySelectorAll("#feed-cards .feed-card")); }

  function select(card) {
    if (current) current.classList.remove("is-current");
    current = card || null;
    if (!current) return;
    current.classList.add("is-current");
    current.focus({ preventScroll: true });
    current.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var all = cards();
    if (!all.length) return;
    var i = current ? all.indexOf(current) : -1;
    var next = all[Math.min(all.length - 1, Math.max(0, i + step))];
    if (i === -1) next = all[0];
    select(next);
  }

  function updateGoal(goal) {
    if (!goal) return;
    var root = document.getElementById("feed-goal");
    if (!root) return;
    root.querySelector("[data-goal-engagements]").textContent = goal.engagements;
    root.querySelector("[data-goal-comments]").textContent = goal.comments;
    root.querySelector("[data-goal-engagements-bar]").style.width = goal.engagements_percent + "%";
    root.querySelector("[data-goal-comments-bar]").style.width = goal.comments_percent + "%";
  }

  function leave(card) {
    var all = cards();
    var i = all.indexOf(card);
    var next = all[i + 1] || all[i - 1] || null;
    card.remove();
    if (current === card) current = null;
    select(next);
    if (!cards().length) {
      var more = document.querySelector("#feed-more a");
      if (more) more.click();
    }
  }

  function engage(card, kind, comment) {
    var form = card.querySelector("form.feed-actions");
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    data.append("kind", kind);
    var leadInput = form.querySelector("[name=lead_id]");
    if (leadInput) data.append("lead_id", leadInput.value);
    if (comment) data.append("comment", comment);
    card.classList.add("is-busy");
    return fetch(card.dataset.engageUrl, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().then(function (body) {
        card.classList.remove("is-busy");
        if (!body.ok) { window.alert(body.error || "That did not work."); return body; }
        updateGoal(body.goal);
        // The same lead's other cards show its new stage and readiness too.
        document.querySelectorAll('.feed-card[data-lead-id="' + body.lead_id + '"]').forEach(function (c) {
          var stage = c.querySelector("[data-stage]");
          if (stage && body.stage) stage.textContent = body.stage;
          var ready = c.querySelector("[data-ready]");
          if (ready) ready.hidden = !body.ready;
        });
        body.done.forEach(function (k) {
          var button = card.querySelector('[data-action="' + k + '"]');
          if (button) button.classList.add("is-done");
        });
        card.dataset.acted = "1";
        if (feed().dataset.hideActed) leave(card);
        return body;
      });
    });
  }

  function askComment(card) {
    var dialog = document.getElementById("feed-comment");
    var text = document.getElementById("feed-comment-text");
    text.value = "";
    dialog.onclose = function () {
      if (dialog.returnValue === "save") engage(card, "commented", text.value);
      select(card.isConnected ? card : current);
    };
    dialog.showModal();
    text.focus();
  }

  function write(card) {
    var dialog = document.getElementById("feed-draft");
    fetch(card.dataset.draftUrl, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        dialog.querySelector("[data-draft-body]").innerHTML = html;
        dialog.dataset.postId = card.dataset.postId;
        dialog.showModal();
        var text = dialog.querySelector("[data-draft-text]");
        if (text) text.focus();
      });
  }

  function open(card) { window.open(card.dataset.url, "_blank", "noopener"); }

  document.addEventListener("keydown", function (event) {
    if (!feed() || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.closest && target.closest("input, textarea, select, dialog[open]")) return;
    if (document.querySelector("dialog[open]")) return;
    var key = event.key;
    if (key === "j") { move(1); }
    else if (key === "k") { move(-1); }
    else if ("olcnse".indexOf(key) !== -1 && key.length === 1) {
      if (!current) move(1);
      if (!current) return;
      if (key === "o") open(current);
      else if (key === "l") engage(current, "liked");
      else if (key === "c") askComment(current);
      else if (key === "n") engage(current, "connected");
      else if (key === "s") engage(current, "skipped");
      else if (key === "e") write(current);
    } else { return; }
    event.preventDefault();
  });

  // Clicks on the card's buttons go through the same path as the keys.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var card = form.closest(".feed-card");
    if (card && form.classList.contains("feed-actions")) {
      var kind = event.submitter && event.submitter.value;
      if (!kind) return;
      event.preventDefault();
      select(card);
      if (kind === "commented") askComment(card); else engage(card, kind);
      return;
    }
    if (form.matches("[data-dm-sent]")) {
      event.preventDefault();
      var dialog = document.getElementById("feed-draft");
      var target = document.querySelector('.feed-card[data-post-id="' + dialog.dataset.postId + '"]');
      dialog.close();
      if (target) engage(target, "dm_sent");
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest('.feed-card [data-action="write"]');
    if (link) { event.preventDefault(); var card = link.closest(".feed-card"); select(card); write(card); return; }
    var copy = event.target.closest("[data-copy-draft]");
    if (copy) {
      var text = document.querySelector("#feed-draft [data-draft-text]");
      if (navigator.clipboard) navigator.clipboard.writeText(text.value);
      copy.textContent = "Copied";
      return;
    }
    if (event.target.closest("[data-close-dialog]")) { event.target.closest("dialog").close(); return; }
    var card = event.target.closest(".feed-card");
    if (card && !event.target.closest("a, button")) select(card);
  });
})();
