// onrecord pages: the source card on article pages. Plain JS, no build step.
// Every value from the record or the API is put in the page with textContent, never as HTML.
(function () {
  "use strict";

  function sourcesData() {
    var node = document.getElementById("sources-data");
    if (!node) return [];
    try { return JSON.parse(node.textContent); } catch (e) { return []; }
  }

  function byId(list) {
    var map = {};
    list.forEach(function (s) { map[s.id] = s; });
    return map;
  }

  function fill(el, text) { el.textContent = text; }

  function item(text, href) {
    var li = document.createElement("li");
    if (href) {
      var a = document.createElement("a");
      a.href = href;
      fill(a, text);
      li.appendChild(a);
    } else {
      fill(li, text);
    }
    return li;
  }

  function showOtherQuotes(card, source, articleId) {
    var list = card.querySelector(".others");
    list.replaceChildren();
    if (!source.global_id) {
      list.appendChild(item("This article is not in the corpus, so no other quotes are known."));
      card.querySelector(".more").hidden = true;
      return;
    }
    card.querySelector(".more").hidden = false;
    card.querySelector(".source-link").href = "/sources/" + encodeURIComponent(source.global_id);
    list.appendChild(item("Loading…"));
    fetch("/api/sources/" + encodeURIComponent(source.global_id) + "?limit=50", { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        if (card.dataset.source !== source.id) return;  // another card was opened meanwhile
        var others = (data.quotes || []).filter(function (q) { return q.article_id !== articleId; });
        var elsewhere = (data.quotes_total || 0) - ((data.quotes || []).length - others.length);
        list.replaceChildren();
        if (!others.length) list.appendChild(item("No other quotes in the corpus."));
        others.slice(0, 10).forEach(function (q) {
          var li = document.createElement("li");
          var quoteText = document.createElement("span");
          quoteText.className = "other-quote";
          fill(quoteText, q.content || q.text);  // the quoted words alone
          li.appendChild(quoteText);
          li.appendChild(document.createElement("br"));
          var a = document.createElement("a");
          a.href = q.anchor || ("/articles/" + encodeURIComponent(q.article_id));
          fill(a, [q.published, q.outlet, q.article_title].filter(Boolean).join(" · ") || "article");
          li.appendChild(a);
          list.appendChild(li);
        });
        if (elsewhere > 10) list.appendChild(item("and " + (elsewhere - 10) + " more"));
      })
      .catch(function () {
        list.replaceChildren(item("Could not load the other quotes."));
      });
  }

  // The element that opened the card gets the focus back when it closes.
  var opener = null;

  function openCard(source, articleId, from) {
    var card = document.getElementById("source-card");
    opener = from || null;
    card.dataset.source = source.id;
    fill(card.querySelector(".name"), source.name || "(unknown source)");
    fill(card.querySelector(".kind"), source.kind === "anonymous" ? "anonymous source" : source.kind || "");
    card.classList.toggle("is-anonymous", source.kind === "anonymous");
    fill(card.querySelector(".titles"), (source.titles || []).join(", ") || "—");
    fill(card.querySelector(".affiliations"), (source.affiliations || []).join(", ") || "—");
    showOtherQuotes(card, source, articleId);
    card.hidden = false;
    card.querySelector(".close").focus();
  }

  function closeCard() {
    var card = document.getElementById("source-card");
    if (!card || card.hidden) return;
    card.hidden = true;
    if (opener && document.contains(opener)) opener.focus();
    opener = null;
  }

  // A figure or date tapped (or clicked) shows its value in plain words, until tapped again.
  function toggleValue(event) {
    var value = event.target.closest && event.target.closest(".fig[data-value], .time[data-value]");
    if (!value) return false;
    value.classList.toggle("shown");
    return true;
  }

  function setUpArticle() {
    var card = document.getElementById("source-card");
    if (!card) return;
    var sources = byId(sourcesData());
    var article = document.querySelector("article.record");
    var articleId = article ? article.dataset.article : "";

    function activate(event) {
      var target = event.target.closest("[data-source]");
      if (!target || target.closest("#source-card")) return;
      var source = sources[target.dataset.source];
      if (!source) return;
      event.preventDefault();
      openCard(source, articleId, target);
    }

    document.addEventListener("click", function (event) {
      if (event.type === "click" && event.detail !== 0 && toggleValue(event)) {
        event.preventDefault();
        return;
      }
      activate(event);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") closeCard();
      if (event.key === "Enter" && event.target.matches && event.target.matches("span.q[data-source]")) {
        activate(event);
      }
    });
    card.querySelector(".close").addEventListener("click", closeCard);
  }

  // Arriving at /articles/ID#q3: the quote is scrolled to the middle, marked and focused.
  function showArrival() {
    var id = decodeURIComponent((location.hash || "").slice(1));
    if (!id) return;
    var target = document.getElementById(id);
    if (!target || !target.classList.contains("q")) return;
    target.classList.add("arrived");
    target.scrollIntoView({ block: "center" });
    // The browser's own jump to the fragment can come after this, at the top edge:
    // centre the quote again once the page has loaded.
    window.addEventListener("load", function () { target.scrollIntoView({ block: "center" }); }, { once: true });
    if (!target.hasAttribute("tabindex") && target.tagName !== "A") target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
  }

  // On a narrow screen the list of sources starts folded to its one-line summary.
  function foldSourcesOnSmallScreens() {
    var who = document.querySelector("details.who");
    if (who && window.matchMedia && window.matchMedia("(max-width: 700px)").matches) who.open = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    foldSourcesOnSmallScreens();
    setUpArticle();
    showArrival();
  });
  window.addEventListener("hashchange", showArrival);
})();
