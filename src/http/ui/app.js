// Verbatim search page: instant quote search with facets, speaker pages and
// an article view. Plain ES module, no dependencies; it only talks to the
// public JSON API (/v1/...). Views are addressed by the query string of "/":
//   /?q=...&speaker=...&topic=...&source=...&month=...&sort=...   search (one card per
//                                                                 statement; &group=copy: per quote)
//   /?statement=ID                                                the copies of one statement
//   /?view=speaker&name=...                                       speaker page
//   /?view=article&id=...&quote=N                                  article view

const FACETS = [
  { name: "speaker", title: "Speaker" },
  { name: "topic", title: "Topic" },
  { name: "source", title: "Source" },
  { name: "month", title: "Date" },
];
const PAGE_SIZE = 20;
const FACET_LIMIT = 10;
const DEBOUNCE_MS = 180;

const app = document.getElementById("app");
const searchInput = document.getElementById("q");
const statsLine = document.getElementById("stats");
const narrowScreen = window.matchMedia("(max-width: 820px)");

let inflight = null; // AbortController of the current view's requests
let debounceTimer = 0;

// ---------- small helpers ----------

function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") element.className = value;
    else if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(element.dataset, value);
    else element.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

function formatNumber(n) {
  return new Intl.NumberFormat("en").format(n);
}

function formatDate(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return date.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
}

function formatMonth(value) {
  const [year, month] = value.split("-").map(Number);
  if (!year || !month) return value;
  return new Date(Date.UTC(year, month - 1, 1)).toLocaleDateString("en-GB", { month: "short", year: "numeric", timeZone: "UTC" });
}

function topicLabel(path) {
  const parts = path.split("/").filter(Boolean);
  const leaf = (parts.at(-1) || path).replaceAll("-", " ");
  // Short segments are acronyms (ai, us, uk, eu).
  const label = leaf.length <= 2 ? leaf.toUpperCase() : leaf.charAt(0).toUpperCase() + leaf.slice(1);
  return { leaf: label, parent: parts.slice(0, -1).join(" › ") };
}

function initials(name) {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((word) => word[0]).join("").toUpperCase();
}

function avatar(name) {
  let hash = 0;
  for (const ch of name || "?") hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  const hue = hash % 360;
  const element = h("span", { class: "avatar", "aria-hidden": "true" }, name ? initials(name) : "?");
  element.style.setProperty("--avatar", `hsl(${hue} 45% 42%)`);
  return element;
}

function searchUrl(state) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const facet of FACETS) for (const value of state.filters[facet.name] || []) params.append(facet.name, value);
  if (state.sort) params.set("sort", state.sort);
  if (state.copies) params.set("group", "copy");
  if (state.statement) params.set("statement", state.statement);
  const text = params.toString();
  return text ? `/?${text}` : "/";
}

// Statements (copies of one statement folded) unless copies are asked for or
// one statement's copies are listed.
function grouped(state) {
  return !state.copies && !state.statement;
}

function speakerUrl(name) {
  return `/?${new URLSearchParams({ view: "speaker", name })}`;
}

function articleUrl(id, quote) {
  const params = new URLSearchParams({ view: "article", id });
  if (quote !== undefined && quote !== null) params.set("quote", String(quote));
  return `/?${params}`;
}

function link(href, attributes, ...children) {
  return h("a", { href, "data-nav": true, ...attributes }, ...children);
}

// The API's snippets are HTML with every special character escaped and
// <mark> around matches. Rebuild them as DOM nodes so nothing else can ever
// be interpreted as markup.
const entityDecoder = document.createElement("textarea");
function decodeEntities(text) {
  entityDecoder.innerHTML = text;
  return entityDecoder.value;
}

function snippetNodes(snippet) {
  const nodes = [];
  let marked = false;
  for (const part of String(snippet).split(/(<\/?mark>)/)) {
    if (part === "<mark>") marked = true;
    else if (part === "</mark>") marked = false;
    else if (part) {
      const text = decodeEntities(part);
      nodes.push(marked ? h("mark", {}, text) : document.createTextNode(text));
    }
  }
  return nodes;
}

async function api(path, signal) {
  const response = await fetch(path, { signal, headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const message = body?.error?.message || `${response.status} ${response.statusText}`;
    throw Object.assign(new Error(message), { status: response.status, code: body?.error?.code });
  }
  return body;
}

function freshSignal() {
  if (inflight) inflight.abort();
  inflight = new AbortController();
  return inflight.signal;
}

// ---------- state from and to the URL ----------

function readSearchState(params) {
  const filters = {};
  for (const facet of FACETS) filters[facet.name] = params.getAll(facet.name);
  return {
    q: params.get("q") || "", filters, sort: params.get("sort") || "",
    copies: params.get("group") === "copy", statement: params.get("statement") || "",
  };
}

function quoteQuery(state, { facets, facetLimit, limit, cursor, excludeFacet } = {}) {
  const params = new URLSearchParams();
  if (state.q.trim()) params.set("q", state.q.trim());
  for (const facet of FACETS) {
    if (facet.name === excludeFacet) continue;
    for (const value of state.filters[facet.name] || []) params.append(facet.name, value);
  }
  if (facets?.length) params.set("facets", facets.join(","));
  if (facetLimit) params.set("facet_limit", String(facetLimit));
  if (state.statement) params.set("statement", state.statement);
  if (grouped(state)) {
    params.set("group", "statement");
    if (facets?.length) params.set("count", "statements");
  }
  params.set("limit", String(limit ?? PAGE_SIZE));
  const sort = state.sort || (state.q.trim() ? "relevance" : "-published");
  params.set("sort", sort);
  if (cursor) params.set("cursor", cursor);
  return `/v1/quotes?${params}`;
}

function navigate(url, { replace = false } = {}) {
  if (url === location.pathname + location.search) return render();
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  render();
}

// ---------- rendering ----------

function quoteCard(hit, { showSpeaker = true } = {}) {
  const position = hit.id?.slice(hit.id.lastIndexOf("#") + 1);
  const speaker = hit.speaker;
  const article = hit.article || {};
  return h("li", { class: "quote-card", "data-quote-id": hit.id, "data-kind": hit.kind },
    h("blockquote", { class: "quote-text" }, snippetNodes(hit.snippet ?? hit.quote)),
    h("div", { class: "quote-meta" },
      showSpeaker ? avatar(speaker) : null,
      showSpeaker
        ? (speaker ? link(speakerUrl(speaker), { class: "speaker-name" }, speaker) : h("span", { class: "speaker-name role" }, "Unattributed"))
        : null,
      hit.role ? h("span", { class: "role" }, hit.role) : null,
      h("span", { class: "badge", title: "How the quote appears in the text" }, hit.kind),
    ),
    statementLine(hit),
    h("div", { class: "quote-source" },
      link(articleUrl(article.id, position), { class: "article-link" }, article.title || article.id),
      article.source ? [h("span", { class: "sep" }), h("span", {}, article.source)] : null,
      article.published ? [h("span", { class: "sep" }), h("time", { datetime: article.published }, formatDate(article.published))] : null,
    ),
  );
}

// "3 copies in 2 sources", linking to the copies, for a statement printed
// more than once.
function statementLine(hit) {
  const statement = hit.statement;
  if (!statement || statement.copies < 2) return null;
  const sources = statement.sources.length;
  const label = `${formatNumber(statement.copies)} copies` + (sources > 1 ? ` in ${sources} sources` : "");
  const span = statement.first_seen && statement.last_seen && statement.first_seen !== statement.last_seen
    ? ` · ${formatDate(statement.first_seen)} – ${formatDate(statement.last_seen)}` : "";
  return h("div", { class: "statement-line", "data-statement": statement.id, "data-copies": statement.copies },
    link(`/?${new URLSearchParams({ statement: statement.id })}`, { class: "copies-link", title: "Every article that carries this statement" }, label),
    span,
    statement.variants.length > 1 ? h("span", { class: "variants" }, ` · ${statement.variants.length} wordings`) : null);
}

function facetPanel(facet, values, selected, onToggle) {
  const chosen = new Set(selected);
  // Selected values stay visible even when the counts cut them off.
  const shown = [...values];
  for (const value of chosen) if (!shown.some((entry) => entry.value === value)) shown.push({ value, count: 0 });
  if (facet.name === "month") shown.sort((a, b) => b.value.localeCompare(a.value));
  const items = shown.map((entry) => {
    let label = entry.value;
    if (facet.name === "month") label = formatMonth(entry.value);
    let labelNode = h("span", { class: "facet-label", title: entry.value }, label);
    if (facet.name === "topic") {
      const topic = topicLabel(entry.value);
      labelNode = h("span", { class: "facet-label", title: entry.value }, topic.leaf, topic.parent ? h("small", {}, ` ${topic.parent}`) : null);
    }
    const pressed = chosen.has(entry.value);
    return h("li", {},
      h("button", {
        type: "button", class: "facet-value", "aria-pressed": String(pressed),
        "data-facet": facet.name, "data-value": entry.value,
        onclick: () => onToggle(facet.name, entry.value),
      },
      h("span", { class: "facet-check", "aria-hidden": "true" }, pressed ? "✓" : ""),
      labelNode,
      h("span", { class: "facet-count" }, formatNumber(entry.count))));
  });
  return h("details", { class: "facet", "data-facet": facet.name, open: !narrowScreen.matches || chosen.size > 0 },
    h("summary", {}, facet.title),
    items.length ? h("ul", {}, items) : h("p", { class: "facet-empty" }, "No values"));
}

async function renderSearch(params) {
  const state = readSearchState(params);
  if (document.activeElement !== searchInput) searchInput.value = state.q;
  document.title = state.q ? `${state.q} — Verbatim` : "Verbatim — who said what";
  app.className = "layout";
  const signal = freshSignal();
  if (!app.querySelector(".results")) {
    app.replaceChildren(h("aside", { class: "facets", "aria-label": "Filters" }), h("main", { id: "main", class: "results", tabindex: "-1" }));
  }
  app.querySelector(".results").classList.add("loading");

  const openFacets = FACETS.filter((facet) => !(state.filters[facet.name] || []).length).map((facet) => facet.name);
  const requests = [api(quoteQuery(state, { facets: openFacets, facetLimit: FACET_LIMIT }), signal)];
  // Disjunctive facets: a facet with a selection is counted without its own
  // filter, so its other values stay visible with their counts.
  const selectedFacets = FACETS.filter((facet) => (state.filters[facet.name] || []).length);
  for (const facet of selectedFacets) {
    requests.push(api(quoteQuery(state, { facets: [facet.name], facetLimit: FACET_LIMIT, limit: 0, excludeFacet: facet.name }), signal));
  }
  let answers;
  try {
    answers = await Promise.all(requests);
  } catch (error) {
    if (error.name === "AbortError") return;
    const results = app.querySelector(".results");
    results.classList.remove("loading");
    results.replaceChildren(h("p", { class: "notice error", role: "alert" }, error.message));
    return;
  }
  const [main, ...others] = answers;
  const facetValues = { ...main.facets };
  selectedFacets.forEach((facet, index) => { facetValues[facet.name] = others[index].facets[facet.name]; });

  const toggle = (name, value) => {
    const next = structuredClone(state);
    const list = next.filters[name];
    const at = list.indexOf(value);
    if (at >= 0) list.splice(at, 1); else list.push(value);
    navigate(searchUrl(next));
  };
  app.querySelector(".facets").replaceChildren(...FACETS.map((facet) => facetPanel(facet, facetValues[facet.name] || [], state.filters[facet.name], toggle)));

  const chips = [];
  for (const facet of FACETS) {
    for (const value of state.filters[facet.name] || []) {
      const label = facet.name === "month" ? formatMonth(value) : facet.name === "topic" ? topicLabel(value).leaf : value;
      chips.push(h("li", {}, h("button", { type: "button", class: "chip", "aria-label": `Remove filter ${facet.title}: ${label}`, onclick: () => toggle(facet.name, value) },
        h("span", { class: "chip-name" }, `${facet.title}:`), label, h("span", { class: "chip-x", "aria-hidden": "true" }, "×"))));
    }
  }
  if (state.statement) {
    chips.push(h("li", {}, h("button", { type: "button", class: "chip", "aria-label": "Show every statement", onclick: () => navigate(searchUrl({ ...state, statement: "" })) },
      h("span", { class: "chip-name" }, "Copies of one statement"), h("span", { class: "chip-x", "aria-hidden": "true" }, "×"))));
  }
  const list = h("ol", { class: "quote-list", "aria-label": "Quotes" }, main.hits.map((hit) => quoteCard(hit)));
  const unit = grouped(state) ? ["statement", "statements"] : ["quote", "quotes"];
  const groupToggle = state.statement ? null : h("button", {
    type: "button", class: "group-toggle", "aria-pressed": String(!state.copies),
    title: "Fold reprints, updates and excerpts of one statement into one card",
    onclick: () => navigate(searchUrl({ ...state, copies: !state.copies })),
  }, state.copies ? "Fold copies" : "Show every copy");
  const sortSelect = h("select", { class: "sort-select", "aria-label": "Sort", onchange: (event) => navigate(searchUrl({ ...state, sort: event.target.value })) },
    h("option", { value: "relevance" }, "Best match"),
    h("option", { value: "-published" }, "Newest first"),
    h("option", { value: "published" }, "Oldest first"));
  sortSelect.value = state.sort || (state.q.trim() ? "relevance" : "-published");
  const results = app.querySelector(".results");
  results.classList.remove("loading");
  const content = [
    h("div", { class: "results-head" },
      h("p", { class: "result-count", "aria-live": "polite", "data-total": main.total },
        h("strong", {}, formatNumber(main.total)), main.total === 1 ? ` ${unit[0]}` : ` ${unit[1]}`,
        h("span", { class: "took" }, ` · ${Math.max(1, Math.round(main.took_ms))} ms`)),
      h("div", { class: "results-tools" }, groupToggle, sortSelect)),
    chips.length ? h("ul", { class: "chips", "aria-label": "Active filters" }, chips) : null,
    main.total ? list : h("p", { class: "notice" }, state.q ? `No quote matches “${state.q}”.` : "No quotes yet: load some articles through the API."),
    moreButton(main.next_cursor, list, (cursor) => api(quoteQuery(state, { cursor }), freshSignal())),
  ];
  results.replaceChildren(...content.filter(Boolean));
}

function moreButton(cursor, list, fetchPage, cardOptions) {
  if (!cursor) return null;
  const button = h("button", { type: "button", class: "load-more" }, "Load more quotes");
  button.addEventListener("click", async () => {
    button.disabled = true;
    button.textContent = "Loading…";
    try {
      const page = await fetchPage(cursor);
      const firstNew = list.children.length;
      list.append(...page.hits.map((hit) => quoteCard(hit, cardOptions)));
      list.children[firstNew]?.querySelector("a")?.focus({ preventScroll: true });
      const next = moreButton(page.next_cursor, list, fetchPage, cardOptions);
      button.replaceWith(next || "");
    } catch (error) {
      if (error.name !== "AbortError") button.replaceWith(h("p", { class: "notice error", role: "alert" }, error.message));
    }
  });
  return button;
}

const TOPIC_COLOURS = ["#2f6f9f", "#c0643a", "#4d8a4a", "#8a5aa8", "#b38a1e", "#7a7a7a"];

// Statements per month, each bar stacked by topic: a segment's share of the
// bar is its topic's share of the month's statements per topic (a statement
// may have several topics). Data from /v1/speakers/{name}/timeline.
function timelineChart(name, data) {
  const intervals = data.intervals || [];
  if (!intervals.length) return h("p", { class: "facet-empty" }, "No dated quotes.");
  const shown = (data.topics || []).slice(0, TOPIC_COLOURS.length - 1).map((entry) => entry.topic);
  const colour = (topic) => TOPIC_COLOURS[shown.indexOf(topic)] ?? TOPIC_COLOURS.at(-1);
  const max = Math.max(1, ...intervals.map((interval) => interval.statements));
  const bars = intervals.map((interval) => {
    const parts = new Map();
    for (const entry of interval.topics) {
      const key = shown.includes(entry.topic) ? entry.topic : "other";
      parts.set(key, (parts.get(key) || 0) + entry.statements);
    }
    const parted = [...parts.values()].reduce((a, b) => a + b, 0);
    const split = interval.topics.map((entry) => `${topicLabel(entry.topic).leaf} ${entry.statements}`).join(", ");
    const label = `${formatMonth(interval.label)}: ${interval.statements} ${interval.statements === 1 ? "statement" : "statements"} (${interval.quotes} ${interval.quotes === 1 ? "quote" : "quotes"})${split ? ` — ${split}` : ""}`;
    const stack = h("span", { class: "timeline-fill stacked" });
    stack.style.height = `${Math.max(interval.statements ? 2 : 0, (interval.statements / max) * 100)}%`;
    for (const [topic, count] of parts) {
      const segment = h("span", { class: "timeline-segment", "data-topic": topic, "data-count": count });
      segment.style.flexGrow = String(parted ? count / parted : 0);
      segment.style.background = topic === "other" ? TOPIC_COLOURS.at(-1) : colour(topic);
      stack.append(segment);
    }
    return h("button", {
      type: "button", class: `timeline-bar${interval.statements ? "" : " empty"}`, "data-month": interval.label,
      "data-count": interval.statements, "data-quotes": interval.quotes, "aria-label": label, title: label,
      onclick: () => navigate(searchUrl({ q: "", filters: { speaker: [name], month: [interval.label] }, sort: "" })),
    }, interval.statements ? h("span", { class: "timeline-count" }, interval.statements) : null, stack);
  });
  const step = Math.ceil(intervals.length / 8);
  const axis = intervals.map((interval, index) => h("span", {}, index % step === 0 ? formatMonth(interval.label) : ""));
  const legend = h("ul", { class: "timeline-legend", "aria-label": "Topics" },
    [...shown, ...(data.topics.length > shown.length ? ["other"] : [])].map((topic) => {
      const swatch = h("span", { class: "swatch", "aria-hidden": "true" });
      swatch.style.background = topic === "other" ? TOPIC_COLOURS.at(-1) : colour(topic);
      return h("li", { "data-topic": topic }, swatch, topic === "other" ? "Other topics" : topicLabel(topic).leaf);
    }));
  return [h("div", { class: "timeline", role: "group", "aria-label": "Statements per month by topic" }, bars),
    h("div", { class: "timeline-axis", "aria-hidden": "true" }, axis), legend];
}

async function renderSpeaker(params) {
  const name = params.get("name") || "";
  document.title = `${name} — Verbatim`;
  app.className = "layout single";
  const signal = freshSignal();
  const state = { q: "", filters: { speaker: [name] }, sort: "-published" };
  let answer;
  let timelineData;
  try {
    [answer, timelineData] = await Promise.all([
      api(quoteQuery(state, { facets: ["topic", "source"], facetLimit: 1000 }), signal),
      api(`/v1/speakers/${encodeURIComponent(name)}/timeline?interval=month`, signal),
    ]);
  } catch (error) {
    if (error.name === "AbortError") return;
    app.replaceChildren(h("main", { id: "main" }, h("p", { class: "notice error", role: "alert" }, error.message)));
    return;
  }
  const roles = [...new Set(answer.hits.map((hit) => hit.role).filter(Boolean))];
  const topics = (answer.facets.topic || []).slice(0, 12);
  const sources = (answer.facets.source || []).slice(0, 6);
  const coQuoted = timelineData.co_quoted || [];
  const list = h("ol", { class: "quote-list", "aria-label": `Statements by ${name}` }, answer.hits.map((hit) => quoteCard(hit, { showSpeaker: false })));
  app.replaceChildren(h("main", { id: "main", class: "speaker-page", tabindex: "-1" },
    link("/", { class: "back" }, "← All quotes"),
    h("div", { class: "profile" }, avatar(name),
      h("div", {},
        h("h1", {}, name),
        h("p", { class: "speaker-counts", "data-statements": timelineData.statements, "data-quotes": timelineData.quotes },
          roles.length ? `${roles.slice(0, 2).join(" · ")} — ` : "",
          `${formatNumber(timelineData.statements)} ${timelineData.statements === 1 ? "statement" : "statements"} (${formatNumber(timelineData.quotes)} ${timelineData.quotes === 1 ? "quote" : "quotes"} with reprints)`,
          sources.length ? ` in ${sources.map((entry) => entry.value).join(", ")}` : ""))),
    h("section", { class: "panel", "aria-labelledby": "timeline-title" }, h("h2", { id: "timeline-title" }, "Statements by month and topic"), timelineChart(name, timelineData)),
    h("section", { class: "panel", "aria-labelledby": "topics-title" }, h("h2", { id: "topics-title" }, "Top topics"),
      topics.length
        ? h("ul", { class: "topic-chips" }, topics.map((entry) => h("li", {},
          link(searchUrl({ q: "", filters: { speaker: [name], topic: [entry.value] }, sort: "" }), { title: entry.value, "data-topic": entry.value },
            topicLabel(entry.value).leaf, h("span", { class: "facet-count" }, entry.count)))))
        : h("p", { class: "facet-empty" }, "No topics.")),
    coQuoted.length
      ? h("section", { class: "panel", "aria-labelledby": "co-title" }, h("h2", { id: "co-title" }, "Quoted alongside"),
        h("ul", { class: "topic-chips co-quoted" }, coQuoted.map((entry) => h("li", {},
          link(speakerUrl(entry.speaker), { "data-speaker": entry.speaker }, entry.speaker, h("span", { class: "facet-count" }, entry.articles))))))
      : null,
    h("section", { "aria-labelledby": "quotes-title" }, h("h2", { id: "quotes-title", class: "sidebar-title" }, "Latest statements"),
      answer.total ? list : h("p", { class: "notice" }, `No quotes by ${name}.`),
      moreButton(answer.next_cursor, list, (cursor) => api(quoteQuery(state, { cursor }), freshSignal()), { showSpeaker: false })),
  ));
}

// Offsets in the API are Unicode code points; JavaScript strings index UTF-16
// code units. utf16Offsets[i] is the UTF-16 index of code point i.
export function utf16Offsets(text) {
  const offsets = [0];
  let index = 0;
  for (const ch of text) {
    index += ch.length;
    offsets.push(index);
  }
  return offsets;
}

function highlightedBody(body, quotes, onSelect) {
  const offsets = utf16Offsets(body);
  const last = offsets.length - 1;
  const ranges = [];
  quotes.forEach((quote, position) => {
    const pieces = quote.pieces?.length ? quote.pieces : [[quote.start, quote.end]];
    for (const [start, end] of pieces) {
      if (start < end && end <= last) ranges.push({ start: offsets[start], end: offsets[end], position, quote });
    }
  });
  ranges.sort((a, b) => a.start - b.start || b.end - a.end);
  const nodes = [];
  let cursor = 0;
  for (const range of ranges) {
    if (range.start < cursor) continue; // overlapping: keep the first
    if (range.start > cursor) nodes.push(document.createTextNode(body.slice(cursor, range.start)));
    const who = range.quote.speaker || "unattributed";
    nodes.push(h("mark", {
      class: `quote-mark kind-${range.quote.kind}`, tabindex: "0", role: "button",
      "data-position": range.position, title: `${who} (${range.quote.kind})`,
      "aria-label": `Quote by ${who}`,
      onclick: () => onSelect(range.position, false),
      onkeydown: (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); onSelect(range.position, false); } },
    }, body.slice(range.start, range.end)));
    cursor = range.end;
  }
  if (cursor < body.length) nodes.push(document.createTextNode(body.slice(cursor)));
  return nodes;
}

async function renderArticle(params) {
  const id = params.get("id") || "";
  app.className = "layout article-layout";
  const signal = freshSignal();
  let article;
  try {
    article = await api(`/v1/articles/${encodeURIComponent(id)}`, signal);
  } catch (error) {
    if (error.name === "AbortError") return;
    app.replaceChildren(h("main", { id: "main" }, link("/", { class: "back" }, "← All quotes"), h("p", { class: "notice error", role: "alert" }, error.message)));
    return;
  }
  document.title = `${article.title} — Verbatim`;
  const select = (position, scroll) => {
    for (const element of app.querySelectorAll(".quote-mark.active, .article-quotes button.active")) element.classList.remove("active");
    const marks = app.querySelectorAll(`.quote-mark[data-position="${position}"]`);
    marks.forEach((mark) => mark.classList.add("active"));
    const item = app.querySelector(`.article-quotes button[data-position="${position}"]`);
    item?.classList.add("active");
    if (scroll && marks[0]) marks[0].scrollIntoView({ block: "center", behavior: "smooth" });
    if (!scroll) item?.scrollIntoView({ block: "nearest" });
  };
  const quoteItems = article.quotes.map((quote, position) => h("li", {},
    h("button", { type: "button", "data-position": position, onclick: () => select(position, true) },
      h("span", { class: "who" }, quote.speaker || "Unattributed", quote.role ? h("span", { class: "role" }, ` · ${quote.role}`) : null),
      h("span", { class: "what" }, quote.quote))));
  app.replaceChildren(
    h("main", { id: "main", class: "article-view", tabindex: "-1" },
      link("/", { class: "back" }, "← All quotes"),
      h("header", { class: "article-head" },
        h("h1", {}, article.title),
        h("div", { class: "article-meta" },
          article.source ? h("span", {}, article.source) : null,
          article.published ? [h("span", { class: "sep" }), h("time", { datetime: article.published }, formatDate(article.published))] : null,
          h("span", { class: "sep" }), h("span", {}, `${article.quotes.length} ${article.quotes.length === 1 ? "quote" : "quotes"}`),
          article.url ? [h("span", { class: "sep" }), h("a", { href: article.url, rel: "noopener noreferrer", target: "_blank" }, "Original ↗")] : null)),
      h("div", { class: "article-body", lang: article.language || null }, highlightedBody(article.body, article.quotes, select))),
    h("aside", { class: "article-aside", "aria-label": "Quotes in this article" },
      h("div", { class: "aside-sticky" },
        h("h2", { class: "sidebar-title" }, "Quotes"),
        quoteItems.length ? h("ol", { class: "article-quotes" }, quoteItems) : h("p", { class: "facet-empty" }, "No quotes found."),
        article.speakers?.length ? [h("h2", { class: "sidebar-title", style: "margin-top:18px" }, "Speakers"),
          h("ul", { class: "topic-chips" }, article.speakers.map((speaker) => h("li", {}, link(speakerUrl(speaker.name), {}, speaker.name))))] : null)),
  );
  const wanted = params.get("quote");
  if (wanted !== null && article.quotes[Number(wanted)]) select(Number(wanted), true);
}

async function render() {
  const params = new URLSearchParams(location.search);
  const view = params.get("view");
  if (view === "speaker") return renderSpeaker(params);
  if (view === "article") return renderArticle(params);
  return renderSearch(params);
}

async function loadStats() {
  try {
    const stats = await api("/v1/stats");
    statsLine.textContent = `${formatNumber(stats.articles)} articles · ${formatNumber(stats.quotes)} quotes`;
  } catch {
    statsLine.textContent = "";
  }
}

// ---------- events ----------

searchInput.addEventListener("input", () => {
  clearTimeout(debounceTimer);
  debounceTimer = setTimeout(() => {
    const params = new URLSearchParams(location.search);
    const state = params.get("view") ? { q: "", filters: { speaker: [], topic: [], source: [], month: [] }, sort: "" } : readSearchState(params);
    state.q = searchInput.value;
    // Typing replaces the history entry; filters and page changes push one.
    navigate(searchUrl(state), { replace: !params.get("view") });
  }, DEBOUNCE_MS);
});

document.getElementById("search-form").addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(debounceTimer);
  const params = new URLSearchParams(location.search);
  const state = params.get("view") ? readSearchState(new URLSearchParams()) : readSearchState(params);
  state.q = searchInput.value;
  navigate(searchUrl(state), { replace: true });
  app.querySelector(".quote-card a")?.focus();
});

searchInput.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && searchInput.value) {
    event.preventDefault();
    searchInput.value = "";
    searchInput.dispatchEvent(new Event("input"));
  }
});

document.addEventListener("keydown", (event) => {
  const typing = event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement || event.target instanceof HTMLTextAreaElement;
  if (event.key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
    event.preventDefault();
    searchInput.focus();
    searchInput.select();
  }
});

// Same-origin links with data-nav change the view without reloading.
document.addEventListener("click", (event) => {
  const anchor = event.target.closest("a[data-nav]");
  if (!anchor || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const url = new URL(anchor.href);
  if (url.origin !== location.origin) return;
  event.preventDefault();
  navigate(url.pathname + url.search);
  if (!url.searchParams.get("view")) searchInput.value = url.searchParams.get("q") || "";
  window.scrollTo({ top: 0 });
  document.getElementById("main")?.focus({ preventScroll: true });
});

window.addEventListener("popstate", () => {
  searchInput.value = new URLSearchParams(location.search).get("q") || "";
  render();
});

loadStats();
render();
