// The catalogue page: plain JavaScript, no build step. It reads Telegram's launch parameters
// from the URL hash (https://core.telegram.org/bots/webapps#initializing-mini-apps), so it
// works whether or not telegram-web-app.js loads, and sends the signed init data with every
// API request as `Authorization: tma <init data>`. User text is only ever set as textContent.
"use strict";
(function () {
  const launch = new URLSearchParams(location.hash.slice(1));
  // Kept for the tab's life too: a page reloaded without the hash is still the same launch.
  const initData = launch.get("tgWebAppData") || stored() || "";
  try { if (initData) sessionStorage.setItem("tgWebAppData", initData); } catch (e) { /* private mode */ }

  function stored() {
    try { return sessionStorage.getItem("tgWebAppData"); } catch (e) { return null; }
  }
  const ALL = JSON.parse(document.getElementById("texts").textContent);
  const $ = (s, el) => (el || document).querySelector(s);
  const form = $("#filters"), grid = $("#grid"), status = $("#status"), note = $("#note");
  const page = $("#page"), more = $("#more");
  let lang = guessLang(), T = ALL[lang];
  // `stalled`: the last request failed; nothing loads by itself until the buyer retries.
  let tab = "all", cursor = null, loading = false, done = false, stalled = false, generation = 0;
  let typing = 0;  // the search box's debounce timer

  function guessLang() {
    try {
      const user = JSON.parse(new URLSearchParams(initData).get("user") || "{}");
      const code = String(user.language_code || "").toLowerCase();
      if (code.startsWith("ru")) return "ru";
      if (code.startsWith("uz-latn")) return "uz_latn";
    } catch (e) { /* no user: the default language */ }
    return "uz_cyrl";
  }

  function theme() {
    let params = {};
    try { params = JSON.parse(launch.get("tgWebAppThemeParams") || "{}"); } catch (e) { return; }
    for (const [key, value] of Object.entries(params)) {
      if (/^[a-z_]+$/.test(key) && /^#[0-9a-fA-F]{3,8}$/.test(String(value))) {
        document.documentElement.style.setProperty("--tg-theme-" + key.replace(/_/g, "-"), value);
      }
    }
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") node.textContent = v; else node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) if (c) node.append(c);
    return node;
  }

  async function api(path, options) {
    const response = await fetch("api/" + path, {
      ...(options || {}),
      headers: { "Authorization": "tma " + initData, "Content-Type": "application/json" },
    });
    let body = {};
    try { body = await response.json(); } catch (e) { /* not JSON: a proxy's error page */ }
    if (!response.ok) {
      const error = new Error(body.message || body.error || String(response.status));
      error.status = response.status;
      error.body = body;
      throw error;
    }
    return body;
  }

  function problem(error) {
    if (error.status === 401) return T["unauthorised"];
    if (error.status === 429) return T["too-many"];
    if (error.status === 400 || error.status === 404 || error.status === 409) return error.message;
    return T["error"];
  }

  function say(text, bad) {
    note.hidden = !text;
    note.textContent = text || "";
    note.className = bad ? "bad" : "";
  }

  function labels() {
    T = ALL[lang];
    document.documentElement.lang = lang === "ru" ? "ru" : "uz";
    document.title = T["title"];
    $("[data-tab=all]").textContent = T["tab-all"];
    $("[data-tab=favourites]").textContent = T["tab-favourites"];
    form.q.placeholder = T["search"];
    form.price_min.placeholder = T["price-min"];
    form.price_max.placeholder = T["price-max"];
    $("[data-action=save-search]").title = T["save-search"];
    fill(form.category, T["all-categories"], ALL.categories[lang]);
    fill(form.region, T["all-regions"], ALL.regions[lang]);
  }

  function fill(select, first, options) {
    const chosen = select.value;
    select.replaceChildren(el("option", { value: "", text: first }),
      ...options.map(([code, label]) => el("option", { value: code, text: label })));
    select.value = chosen;
  }

  function card(ad) {
    const photo = ad.thumb
      ? el("img", { class: "ph", src: ad.thumb, alt: "", loading: "lazy", decoding: "async" })
      : el("div", { class: "noph", text: "📦" });
    const heart = el("button", {
      type: "button", "data-action": "favourite", "aria-pressed": String(ad.favourite),
      text: ad.favourite ? "❤️" : "🤍",
    });
    heart.addEventListener("click", (event) => { event.stopPropagation(); toggle(ad, heart); });
    const node = el("article", { class: "card", "data-ad-id": ad.id },
      photo, ad.sold ? el("span", { class: "sold", text: T["sold"] }) : null, heart,
      el("div", { class: "tx" }, el("b", { text: (ad.lifted ? "🚀 " : "") + ad.price }), el("div", { class: "t", text: ad.title }),
        el("small", { text: ad.place + " · " + ad.age })));
    node.addEventListener("click", () => open(ad.id));
    return node;
  }

  function query() {
    const params = new URLSearchParams();
    for (const name of ["q", "category", "region", "price_min", "price_max"]) {
      const value = form[name].value.trim();
      if (value) params.set(name, value);
    }
    return params;
  }

  function reset() {
    generation += 1;
    clearTimeout(typing);
    cursor = null; done = false; loading = false; stalled = false;
    grid.replaceChildren();
    load();
  }

  async function load() {
    if (loading || done || stalled) return;
    loading = true;
    const mine = generation;
    status.replaceChildren(T["loading"]);
    try {
      let body;
      if (tab === "favourites") {
        body = await api("favourites" + (cursor ? "?cursor=" + encodeURIComponent(cursor) : ""));
      } else {
        const params = query();
        if (cursor) params.set("cursor", cursor);
        body = await api("ads?" + params.toString());
      }
      if (mine !== generation) return;
      if (note.className === "bad") say("");  // a message that something was saved stays
      grid.append(...body.items.map(card));
      cursor = body.next; done = !body.next;
      status.replaceChildren(grid.children.length ? "" :
        (tab === "favourites" ? T["favourites-empty"] : T["empty"]));
    } catch (error) {
      if (mine !== generation) return;
      stalled = true;
      const retry = el("button", { type: "button", "data-action": "retry", text: T["retry"] });
      retry.addEventListener("click", () => { stalled = false; load(); });
      status.replaceChildren(el("div", { text: problem(error) }), retry);
      if (error.status === 400) say(error.message, true);
    } finally {
      if (mine === generation) loading = false;
    }
    if (mine === generation && more.getBoundingClientRect().top < innerHeight + 600) load();
  }

  async function toggle(ad, button) {
    const keep = !ad.favourite;
    try {
      await api("favourites/" + ad.id, { method: keep ? "PUT" : "DELETE" });
      ad.favourite = keep;
      button.setAttribute("aria-pressed", String(keep));
      button.textContent = button.dataset.long ? T[keep ? "favourite-remove" : "favourite-add"]
        : (keep ? "❤️" : "🤍");
      document.querySelectorAll('[data-ad-id="' + ad.id + '"] [data-action=favourite]').forEach((b) => {
        b.setAttribute("aria-pressed", String(keep)); b.textContent = keep ? "❤️" : "🤍";
      });
    } catch (error) { say(problem(error), true); }
  }

  async function open(id) {
    page.hidden = false;
    page.replaceChildren(el("div", { class: "status", text: T["loading"] }));
    backButton(true);
    try {
      const ad = await api("ads/" + id);
      render(ad);
    } catch (error) {
      const retry = el("button", { type: "button", "data-action": "retry", text: T["retry"] });
      retry.addEventListener("click", () => open(id));
      page.replaceChildren(backLink(), el("div", { class: "status" },
        el("div", { text: problem(error) }), error.status === 404 ? null : retry));
    }
  }

  function backLink() {
    const back = el("button", { type: "button", class: "back", text: T["back"] });
    back.addEventListener("click", close);
    return back;
  }

  function close() {
    page.hidden = true;
    page.replaceChildren();
    backButton(false);
  }

  function render(ad) {
    const photos = el("div", { class: "swipe" },
      ...ad.photos.map((src) => el("img", { src, alt: "", decoding: "async" })));
    const heart = el("button", { type: "button", "data-action": "favourite", "data-long": "1",
      "aria-pressed": String(ad.favourite), text: T[ad.favourite ? "favourite-remove" : "favourite-add"] });
    heart.addEventListener("click", () => toggle(ad, heart));
    const actions = el("div", { class: "actions" });
    if (!ad.sold) {
      const phone = el("button", { type: "button", "data-action": "phone", text: T["show-phone"] });
      phone.addEventListener("click", async () => {
        try {
          const found = await api("ads/" + ad.id + "/phone", { method: "POST" });
          phone.replaceWith(el("a", { href: "tel:" + found.tel, "data-phone": found.tel, text: "📞 " + found.phone }));
        } catch (error) { say(problem(error), true); }
      });
      actions.append(phone);
      if (ad.seller) {
        actions.append(el("a", { href: "https://t.me/" + encodeURIComponent(ad.seller),
          target: "_blank", rel: "noopener", text: T["write-seller"] + " @" + ad.seller }));
      }
    }
    actions.append(heart);
    page.replaceChildren(el("article", { "data-ad-page": ad.id }, backLink(),
      ad.photos.length ? photos : null,
      el("div", { class: "body" },
        ad.sold ? el("b", { class: "meta", text: T["sold"] }) : null,
        el("h2", { text: ad.price }),
        el("div", { class: "meta", text: ad.category }),
        el("div", { class: "meta", text: T["place"] + ": " + ad.place }),
        el("div", { class: "meta", text: T["published"] + ": " + ad.published }),
        el("p", { text: ad.description }), actions)));
    page.scrollTop = 0;
  }

  function backButton(show) {
    const app = window.Telegram && window.Telegram.WebApp;
    if (!app || !app.BackButton) return;
    if (show) { app.BackButton.onClick(close); app.BackButton.show(); } else app.BackButton.hide();
  }

  async function saveSearch() {
    try {
      const body = Object.fromEntries(query().entries());
      const saved = await api("saved-searches", { method: "POST", body: JSON.stringify(body) });
      say(saved.message, false);
    } catch (error) { say(problem(error), true); }
  }

  function switchTab(name) {
    tab = name;
    document.querySelectorAll("[data-tab]").forEach((b) => b.classList.toggle("on", b.dataset.tab === name));
    form.hidden = name === "favourites";
    close();
    reset();
  }

  form.q.addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(reset, 350); });
  form.addEventListener("submit", (event) => { event.preventDefault(); clearTimeout(typing); reset(); });
  form.category.addEventListener("change", reset);
  form.region.addEventListener("change", reset);
  // A form with several fields and no submit button is not submitted by Enter (HTML's
  // implicit submission), so Enter in any field searches, as does leaving a price field.
  for (const field of [form.q, form.price_min, form.price_max]) {
    field.addEventListener("keydown", (event) => {
      if (event.key === "Enter") { event.preventDefault(); clearTimeout(typing); field.blur(); reset(); }
    });
  }
  // A price applies when the buyer stops typing (a pause), leaves the field, or presses Enter.
  let prices = "";
  const pricesChanged = () => {
    const now = form.price_min.value.trim() + "|" + form.price_max.value.trim();
    if (now !== prices) { prices = now; reset(); }
  };
  for (const field of [form.price_min, form.price_max]) {
    field.addEventListener("change", pricesChanged);
    field.addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(pricesChanged, 700); });
  }
  $("[data-action=save-search]").addEventListener("click", saveSearch);
  document.querySelectorAll("[data-tab]").forEach((b) => b.addEventListener("click", () => switchTab(b.dataset.tab)));
  new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) load();
  }, { rootMargin: "600px" }).observe(more);

  theme();
  labels();
  load();
  api("me").then((me) => { if (me.lang !== lang && ALL[me.lang]) { lang = me.lang; labels(); reset(); } })
    .catch(() => { /* the list shows the problem and a retry */ });
  window.addEventListener("load", () => {
    const app = window.Telegram && window.Telegram.WebApp;
    if (app) { try { app.ready(); app.expand(); } catch (e) { /* an old client */ } }
  });
})();
