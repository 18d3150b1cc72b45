// The search page: Pagefind's JS API, made reliable for Chinese, with filters and a shareable URL.
//
// Pagefind 1.4.0 (pinned, see README) matches a Chinese query against index words that are a prefix of
// it, which finds every page containing the term but also pages containing only its first word. Each
// candidate is therefore verified against its own text, and sections ("sub-results") are rebuilt from
// the text so that a result links to the exact paragraph or measure that contains the words.

const root = new URL("../", import.meta.url); // static/ sits one level below the site root
const PAGE_SIZE = 10;
const MAX_SECTIONS = 4;
const FILTERS = [
  ["city", "城市"],
  ["category", "类别"],
  ["document", "文件"],
  ["year", "年份"],
];
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u;

const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const filterBox = document.getElementById("search-filters");
const more = document.getElementById("search-more");
const panel = document.getElementById("filter-panel");
const filterCount = document.getElementById("filter-count");

let pagefind = null;
let allFilters = {};
let state = readUrl();
let session = null; // {found, cursor, shown, checks, query, token}: the search being shown
let token = 0;
let typing = null;

input.value = state.q;
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(typing);
  state.q = input.value.trim();
  writeUrl(true);
  run();
});
input.addEventListener("input", () => {
  clearTimeout(typing);
  typing = setTimeout(() => {
    if (input.value.trim() === state.q) return;
    state.q = input.value.trim();
    writeUrl(false);
    run();
  }, 300);
});
more.addEventListener("click", () => showMore());

start();

async function start() {
  try {
    pagefind = await import(new URL("pagefind/pagefind.js", root).href);
    // Documents are long pages that hold the measures readers look for; Pagefind's default length
    // normalisation would rank short city pages above them (measured: 人才 → city pages first).
    await pagefind.options({ baseUrl: root.pathname, excerptLength: 30, ranking: { pageLength: 0 } });
    await pagefind.init();
    allFilters = await pagefind.filters();
  } catch (error) {
    status.textContent = "搜索索引没有加载成功。请稍后再试，或从政策比较和城市列表查找。";
    return;
  }
  panel.hidden = false;
  panel.open = window.matchMedia("(min-width: 52rem)").matches || Object.keys(state.filters).length > 0;
  renderFilters(allFilters);
  run();
}

// --- state in the URL: ?q=孵化器&city=锦州市&city=盘锦市 -----------------------------------------
function readUrl() {
  const params = new URLSearchParams(location.search);
  const filters = {};
  for (const [key] of FILTERS) {
    const values = params.getAll(key).filter(Boolean);
    if (values.length) filters[key] = values;
  }
  return { q: (params.get("q") || "").trim(), filters };
}

function writeUrl(push) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  for (const [key] of FILTERS) for (const value of state.filters[key] || []) params.append(key, value);
  const url = `${location.pathname}${params.toString() ? `?${params}` : ""}`;
  if (push) history.pushState(null, "", url);
  else history.replaceState(null, "", url);
}

window.addEventListener("popstate", () => {
  state = readUrl();
  input.value = state.q;
  renderFilters(allFilters);
  run();
});

// --- filters: OR within one key, AND across keys ------------------------------------------------
function pagefindFilters() {
  const out = {};
  for (const [key, values] of Object.entries(state.filters)) if (values.length) out[key] = { any: values };
  return out;
}

function renderFilters(counts) {
  const active = Object.values(state.filters).reduce((n, values) => n + values.length, 0);
  filterCount.textContent = active ? `（已选 ${active} 项）` : "";
  const focused = filterBox.contains(document.activeElement) ? document.activeElement.id : null;
  filterBox.replaceChildren();
  for (const [key, label] of FILTERS) {
    const chosen = state.filters[key] || [];
    // A value with no results for this query is not offered (unless it is already chosen).
    const values = Object.keys(allFilters[key] || {})
      .filter((value) => chosen.includes(value) || counts?.[key]?.[value] !== 0)
      .sort((a, b) => a.localeCompare(b, "zh-CN"));
    if (!values.length) continue;
    const fieldset = document.createElement("fieldset");
    fieldset.className = "filter-group";
    const legend = document.createElement("legend");
    legend.textContent = label;
    fieldset.append(legend);
    for (const value of values) {
      const id = `filter-${key}-${Object.keys(allFilters[key]).indexOf(value)}`;
      const wrap = document.createElement("div");
      wrap.className = "filter-option";
      const box = document.createElement("input");
      box.type = "checkbox";
      box.id = id;
      box.value = value;
      box.checked = (state.filters[key] || []).includes(value);
      box.addEventListener("change", () => {
        const chosen = new Set(state.filters[key] || []);
        if (box.checked) chosen.add(value);
        else chosen.delete(value);
        state.filters[key] = [...chosen];
        if (!chosen.size) delete state.filters[key];
        writeUrl(false);
        run();
      });
      const text = document.createElement("label");
      text.htmlFor = id;
      const count = counts?.[key]?.[value];
      text.textContent = count === undefined ? value : `${value}（${count}）`;
      wrap.append(box, text);
      fieldset.append(wrap);
    }
    filterBox.append(fieldset);
  }
  if (focused) document.getElementById(focused)?.focus(); // re-rendering must not lose the reader's place
}

// --- searching -----------------------------------------------------------------------------------
function terms(query) {
  return query.split(/\s+/).map((t) => t.replace(/["“”]/g, "")).filter(Boolean);
}

// Terms checked by substring: Chinese words and figures; Latin words are left to Pagefind.
function checkedTerms(query) {
  return terms(query).filter((t) => CJK.test(t) || (/\d/.test(t) && !/[A-Za-z]/.test(t)));
}

// Pagefind indexes "2.16%" as the words 2 and 16, but strips the dot from a query ("216").
function normalise(query) {
  return query.replace(/(\d)[.．](\d)/g, "$1 $2").replace(/[%％]/g, " ").trim();
}

async function candidates(query, filters) {
  if (!query) return (await pagefind.search(null, { filters })).results;
  const queries = [normalise(query)];
  const single = terms(query);
  if (single.length === 1 && CJK.test(single[0])) {
    // Also match queries that start inside an indexed word (试基地 when the index holds 中试/基地).
    const chars = [...single[0]];
    for (let i = 1; i < Math.min(chars.length, 6); i++) queries.push(normalise(chars.slice(i).join("")));
  }
  // The query's own ranking comes first; pages only the suffix searches found follow.
  const primary = await pagefind.search(queries[0], { filters });
  const seen = new Set(primary.results.map((r) => r.id));
  const extra = [];
  for (const q of queries.slice(1)) {
    for (const result of (await pagefind.search(q, { filters })).results) {
      if (!seen.has(result.id)) {
        seen.add(result.id);
        extra.push(result);
      }
    }
  }
  extra.sort((a, b) => b.score - a.score);
  return Object.assign([...primary.results, ...extra], { totals: primary.totalFilters });
}

function verified(data, checks) {
  if (!checks.length) return true;
  const text = [data.content || "", ...Object.values(data.meta || {})].join("\n").replace(/\u200b/g, "");
  return checks.every((t) => text.includes(t));
}

async function run() {
  const mine = ++token;
  const query = state.q;
  const filters = pagefindFilters();
  list.replaceChildren();
  more.hidden = true;
  if (!pagefind) return;
  if (!query && !Object.keys(filters).length) {
    status.textContent = "输入关键词开始搜索，或在左侧按城市、类别、文件、年份筛选。";
    renderFilters(allFilters);
    return;
  }
  status.textContent = "正在搜索…";
  const found = await candidates(query, filters);
  if (mine !== token) return;
  renderFilters(query && found.totals ? found.totals : allFilters);
  session = { found, cursor: 0, shown: 0, checks: checkedTerms(query), query, token: mine };
  await showMore();
}

async function showMore() {
  const s = session;
  if (!s) return;
  const added = [];
  while (added.length < PAGE_SIZE && s.cursor < s.found.length) {
    const data = await s.found[s.cursor++].data();
    if (s.token !== token) return;
    if (verified(data, s.checks)) added.push(data);
  }
  for (const data of added) list.append(renderResult(data, s.query));
  s.shown += added.length;
  const remaining = s.cursor < s.found.length;
  more.hidden = !remaining;
  const what = s.query ? `“${s.query}”` : "所选条件";
  if (!s.shown) status.textContent = `没有找到与${what}相关的内容。可以换个说法，或去掉一些筛选条件。`;
  else status.textContent = `找到 ${s.shown}${remaining ? "+" : ""} 个页面与${what}相关。`;
}

// --- results -------------------------------------------------------------------------------------
const escapeHtml = (s) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

function excerpt(text, offset, words, floor = 0, length = 70) {
  const start = Math.max(floor, offset - Math.floor(length / 3));
  let html = escapeHtml(text.slice(start, start + length));
  const alternatives = words.map((w) => escapeHtml(w).replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  if (alternatives.length) html = html.replace(new RegExp(`(${alternatives.join("|")})`, "g"), "<mark>$1</mark>");
  return (start > 0 ? "…" : "") + html + (start + length < text.length ? "…" : "");
}

// Sections of a page that contain the words, each linked to its heading anchor: measures first
// (what readers look for), then the other sections in page order.
function sections(data, query) {
  const words = terms(query);
  const text = (data.content || "").replace(/\u200b/g, "");
  const anchors = [];
  let from = 0;
  for (const anchor of data.anchors || []) {
    if (!anchor.text) continue;
    const at = text.indexOf(anchor.text, from);
    if (at >= 0) {
      anchors.push({ ...anchor, offset: at });
      from = at + anchor.text.length;
    }
  }
  const found = new Map();
  for (const word of words) {
    for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + word.length)) {
      let owner = null;
      for (const anchor of anchors) if (anchor.offset <= i) owner = anchor;
      const key = owner ? owner.id : "";
      if (!found.has(key)) found.set(key, { owner, first: i });
    }
  }
  const isMeasure = (s) => (s.owner ? s.owner.id.startsWith("m-") : false);
  return [...found.values()]
    .sort((a, b) => isMeasure(b) - isMeasure(a) || a.first - b.first)
    .map(({ owner, first }) => ({
      url: owner ? `${data.url}#${owner.id}` : data.url,
      title: owner ? owner.text : "概述",
      excerpt: excerpt(text, first, words, owner ? owner.offset + owner.text.length : 0),
    }));
}

function renderResult(data, query) {
  const item = document.createElement("li");
  item.className = "result";
  const heading = document.createElement("h2");
  heading.className = "result-title";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta?.title || data.url;
  heading.append(link);
  const meta = document.createElement("p");
  meta.className = "result-meta";
  meta.textContent = [data.meta?.city, data.meta?.document, data.meta?.date].filter(Boolean).join(" · ");
  item.append(heading, meta);
  const found = query ? sections(data, query) : [];
  if (found.length) {
    const subs = document.createElement("ul");
    subs.className = "result-sections";
    for (const section of found.slice(0, MAX_SECTIONS)) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = section.url;
      a.textContent = section.title;
      const p = document.createElement("p");
      p.className = "excerpt";
      p.innerHTML = section.excerpt; // escaped text with <mark> only
      li.append(a, p);
      subs.append(li);
    }
    if (found.length > MAX_SECTIONS) {
      const li = document.createElement("li");
      li.className = "result-more";
      const a = document.createElement("a");
      a.href = data.url;
      a.textContent = `本页还有 ${found.length - MAX_SECTIONS} 处`;
      li.append(a);
      subs.append(li);
    }
    item.append(subs);
  } else if (data.excerpt) {
    const p = document.createElement("p");
    p.className = "excerpt";
    p.innerHTML = data.excerpt; // Pagefind's excerpt: escaped text with <mark>
    item.append(p);
  }
  return item;
}
