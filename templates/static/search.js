// The search page: Pagefind's JS API, made to work the way Chinese readers type, with filters and a shareable URL.
//
// Pagefind 1.4.0 (pinned, see README) finds candidate pages; every candidate's fragment is then loaded (20 at
// a time) and checked against its own text here, because 1.4.0 matches a Chinese term against the index words
// that begin it (so 中试基地 also returns pages holding only 中试, and 盘锦孵化器 every page holding 盘锦).
// The check, the ranking, the sections ("sub-results"), the excerpts, the grouping of a measure's two pages
// and the filter counts are all computed from the candidates' own text:
//
// * a term is looked for as written, after folding full-width forms and 文号 brackets (fold(), DOC_NUMBER);
// * a term no page holds as written was typed without spaces (盘锦孵化器): it is read as the fewest pieces a
//   page holds it in, cut the way the most pages hold (盘锦 + 孵化器), and the results are the pages holding
//   every piece, exactly as if it had been typed with a space (see reading());
// * a term held as written that starts with a place (本溪生物医药) also finds the pages holding the place
//   and the rest apart, ranked after those holding it as written.
//
// Searches never start while an input method is composing (pinyin "yeya" before 液压 is chosen).

const root = new URL("../", import.meta.url); // static/ sits one level below the site root
const PAGE_SIZE = 10;
const MAX_SECTIONS = 4;
const EXCERPT = 80; // characters of text around the words
const LOADING = 20; // fragments requested at once
// The words come from the page (#search-words, rendered through the edition's catalogue), and so does the
// edition's place under the site root ("" or "en/"): Pagefind's URLs are the root's, links are the edition's.
const WORDS = JSON.parse(document.getElementById("search-words")?.textContent || "{}");
const say = (message, params = {}) => (message || "").replace(/%\((\w+)\)s/g, (_, name) => String(params[name]));
const PREFIX = `/${WORDS.prefix || ""}`;
const FILTERS = ["city", "category", "document", "year"].map((key) => [key, WORDS.filters?.[key] || key]);
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/u;
const WIDE = window.matchMedia("(min-width: 52rem)");

const form = document.getElementById("search-form");
const input = document.getElementById("search-q");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const filterBox = document.getElementById("search-filters");
const more = document.getElementById("search-more");
const panel = document.getElementById("filter-panel");
const filterCount = document.getElementById("filter-count");

let pagefind = null;
let allFilters = null; // {key: {value: pages}} over the whole site, for a page without a query
let state = readUrl();
let shown = null; // {results, count, query}: the search on screen
let token = 0;
let typing = null;
let composing = false; // an input method is composing (pinyin "yeya" before 液压 is chosen)
const ids = new Map(); // filter value -> stable checkbox id

input.value = state.q;
form.addEventListener("submit", (event) => {
  event.preventDefault();
  if (composing) return; // Enter chose a candidate of the input method
  clearTimeout(typing);
  state.q = input.value.trim();
  writeUrl(true);
  run();
});
input.addEventListener("compositionstart", () => {
  composing = true;
  clearTimeout(typing);
});
input.addEventListener("compositionend", () => {
  composing = false;
  typed();
});
input.addEventListener("input", (event) => {
  if (event.isComposing || composing) return;
  typed();
});
more.addEventListener("click", () => showMore());
window.addEventListener("popstate", () => {
  state = readUrl();
  input.value = state.q;
  run();
});
WIDE.addEventListener("change", () => {
  panel.open = WIDE.matches;
});

start();

function typed() {
  clearTimeout(typing);
  const query = input.value.trim();
  if (pagefind && query) pagefind.preload(pagefindQuery(normaliseQuery(query))).catch(() => {});
  typing = setTimeout(() => {
    if (composing || input.value.trim() === state.q) return;
    state.q = input.value.trim();
    writeUrl(false);
    run();
  }, 300);
}

async function start() {
  try {
    pagefind = await import(new URL("pagefind/pagefind.js", root).href);
    // Documents are long pages that hold the measures readers look for; Pagefind's default length
    // normalisation would rank short city pages above them (measured: 人才 → city pages first).
    await pagefind.options({ baseUrl: root.pathname, ranking: { pageLength: 0 } });
    await pagefind.init();
  } catch (error) {
    status.textContent = WORDS.failed;
    return;
  }
  panel.hidden = false;
  panel.open = WIDE.matches; // on a phone the filters stay folded under the results
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

// --- normalisation -------------------------------------------------------------------------------
// Folding keeps every character in place (one UTF-16 unit for one), so offsets in folded text are offsets
// in the text: full-width Latin, digits and signs become half-width (Ｒ＆Ｄ, ２０２０, （）), ASCII letters
// lower case, and the brackets of a 文号 one kind (阜政发[2015]44号 finds 阜政发〔2015〕44号).
function fold(text) {
  return text
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, " ")
    .replace(/[[【〖]/g, "〔")
    .replace(/[\]】〗]/g, "〕")
    .replace(/[A-Z]/g, (c) => c.toLowerCase());
}

// A 文号 typed with other brackets, or none: 阜政发[2015]44号, 阜政发2015 44号, 阜政发（2015）第44号.
const DOC_NUMBER = /([\u4e00-\u9fff]{1,10}?[发字函])\s*[〔(]?\s*((?:19|20)\d{2})\s*年?\s*[〕)]?\s*第?\s*(\d{1,4})\s*号/gu;

function normaliseQuery(query) {
  return fold(query).replace(DOC_NUMBER, "$1〔$2〕$3号").replace(/["“”'‘’]/g, " ").trim();
}

function terms(query) {
  return normaliseQuery(query)
    .split(/\s+/)
    .filter((t) => /[\p{L}\p{N}]/u.test(t));
}

// Pagefind indexes "2.16%" as the words 2 and 16, but strips the dot from a query ("216").
function pagefindQuery(query) {
  return query.replace(/(\d)\.(\d)/g, "$1 $2").replace(/%/g, " ").replace(/\s+/g, " ").trim();
}

// --- candidates: Pagefind, for the whole query and for each term --------------------------------
// Pagefind 1.4.0 answers a Chinese term with the pages holding the index words that begin it, but not
// always (试基地 misses the pages holding 中试/基地; 企业技术中心 finds none of them): each term is also
// searched from its 2nd character on, and, in a second round, from its 3rd to 6th.  The first round is
// shown as soon as it is checked; the second adds the pages only it found.  `searches` keeps the
// responses of one run, so the second round repeats none of the first.
async function candidates(words, depth, searches) {
  if (!words.length) return (await pagefind.search(null)).results;
  const search = (query) => {
    if (!searches.has(query)) searches.set(query, query ? pagefind.search(query) : Promise.resolve({ results: [] }));
    return searches.get(query);
  };
  const perTerm = words.map((term) => {
    const chars = [...term];
    const queries = [term];
    if (CJK.test(term)) for (let i = 1; i <= depth && i < chars.length; i++) queries.push(chars.slice(i).join(""));
    return queries.map((q) => search(pagefindQuery(q)));
  });
  const primary = search(pagefindQuery(words.join(" ")));
  const [whole, ...each] = await Promise.all([primary, ...perTerm.map((s) => Promise.all(s))]);
  // A page must be a candidate for every term; the whole query's ranking first, then by best score.
  const byTerm = each.map((responses) => {
    const found = new Map();
    for (const response of responses)
      for (const result of response.results)
        if (!found.has(result.id) || found.get(result.id).score < result.score) found.set(result.id, result);
    return found;
  });
  const pages = new Map();
  for (const [id, result] of byTerm[0]) if (byTerm.every((found) => found.has(id))) pages.set(id, result);
  const order = new Map(whole.results.map((r, i) => [r.id, i]));
  return [...pages.values()].sort(
    (a, b) => (order.get(a.id) ?? Infinity) - (order.get(b.id) ?? Infinity) || b.score - a.score,
  );
}

const SECOND_ROUND = 5; // suffixes from the 3rd to the 6th character
const deeper = (words) => words.some((term) => CJK.test(term) && [...term].length > 2);

// Fragments, LOADING at a time rather than one after another.
async function load(results) {
  const out = new Array(results.length);
  let next = 0;
  const worker = async () => {
    while (next < results.length) {
      const i = next++;
      out[i] = await results[i].data();
    }
  };
  await Promise.all(Array.from({ length: Math.min(LOADING, results.length) }, worker));
  return out;
}

// --- a page: its text, and where its anchors begin ----------------------------------------------
function prepare(data, rank) {
  if (!data.prepared) {
    // Pagefind separates the words of a Chinese page by U+200B, those of an English page (indexed without
    // segmenting) by spaces; an anchor's location counts those words.  A word keeps the spaces after it.
    const raw = data.raw_content ?? data.content ?? "";
    const split = raw.includes("\u200b") ? raw.split("\u200b") : raw.match(/\s*\S+\s*/g) || [raw];
    const words = split.map((w) => w.replace(/&lt;/g, "<").replace(/&gt;/g, ">"));
    const starts = [];
    let at = 0;
    for (const word of words) {
      starts.push(at);
      at += word.length;
    }
    const text = words.join("");
    const anchors = (data.anchors || [])
      .filter((a) => a.id && a.location < starts.length)
      .map((a, order) => ({ ...a, offset: starts[a.location], order }))
      .sort((a, b) => a.offset - b.offset || a.order - b.order);
    // The page's path in its edition ("/cities/jinzhou/" for "/en/cities/jinzhou/").
    const full = new URL(data.raw_url || data.url, location.origin).pathname;
    const path = full.startsWith(PREFIX) ? `/${full.slice(PREFIX.length)}` : full;
    data.prepared = { text, folded: fold(text), anchors, path, spaced: !raw.includes("\u200b") };
  }
  return { data, rank, ...data.prepared };
}

// --- matching a page against the query ------------------------------------------------------------
// The fewest pieces of `term` that `text` holds, longest first (which is the fewest), or null.
function pieces(term, text) {
  const out = [];
  let i = 0;
  while (i < term.length) {
    let j = term.length;
    while (j > i && !text.includes(term.slice(i, j))) j--;
    if (j === i) return null;
    out.push(term.slice(i, j));
    i = j;
  }
  return out;
}

function placesOf(pages) {
  const names = new Set();
  for (const page of pages)
    for (const city of page.data.filters?.city || []) {
      names.add(city);
      if (/[市省]$/.test(city) && city.length > 2) names.add(city.slice(0, -1));
    }
  return [...names].map(fold).sort((a, b) => b.length - a.length);
}

// Every way to cut `term` into `k` pieces, or null when there are too many to try.
function cuts(term, k) {
  const n = term.length;
  let ways = 1;
  for (let i = 1; i < k; i++) ways = (ways * (n - i)) / i;
  if (ways > 2000) return null;
  const out = [];
  const cut = (start, left, done) => {
    if (left === 1) return void out.push([...done, term.slice(start)]);
    for (let i = start + 1; i <= n - left + 1; i++) cut(i, left - 1, [...done, term.slice(start, i)]);
  };
  cut(0, k, []);
  return out;
}

// How a term is read: its words, and which pages hold them.
// * As written, when some page holds it (plus, for 本溪生物医药, the pages holding 本溪 and 生物医药 apart).
// * Typed without spaces (no page holds it): the fewest pieces any page holds it in, and of the ways to cut
//   it into that many, the one the most pages hold; the pages holding every piece of that one.
function reading(term, pages, places) {
  const exact = pages.map((page) => page.folded.includes(term));
  if (exact.some(Boolean)) {
    const place = places.find((p) => term.startsWith(p) && [...term].length - [...p].length >= 2);
    const rest = place ? term.slice(place.length) : "";
    return pages.map((page, i) =>
      exact[i] ? [term] : place && page.folded.includes(place) && page.folded.includes(rest) ? [place, rest] : null,
    );
  }
  if (!CJK.test(term)) return pages.map(() => null);
  const greedy = pages.map((page) => pieces(term, page.folded)).filter(Boolean);
  const fewest = Math.min(...greedy.map((p) => p.length));
  // A glued term must read as words of two characters on average (not 孵 + 化 + 器).
  if (!greedy.length || fewest > Math.max(1, Math.floor([...term].length / 2))) return pages.map(() => null);
  const holds = (page, split) => split.every((piece) => page.folded.includes(piece));
  let best = null;
  let support = 0;
  for (const split of cuts(term, fewest) ?? greedy.filter((p) => p.length === fewest)) {
    const n = pages.filter((page) => holds(page, split)).length;
    if (n > support) [best, support] = [split, n];
  }
  return pages.map((page) => (holds(page, best) ? best : null));
}

// For each page, the words of each term it holds (null when it does not hold the term), and its cost:
// how many pieces the query took on that page.
function match(pages, words) {
  const places = placesOf(pages);
  const perTerm = words.map((term) => reading(term, pages, places));
  const matched = [];
  pages.forEach((page, i) => {
    const held = perTerm.map((split) => split[i]);
    if (held.every(Boolean))
      matched.push({ ...page, words: [...new Set(held.flat())], cost: held.flat().length, reading: held.flat().join(" ") });
  });
  return matched.sort((a, b) => a.cost - b.cost || a.rank - b.rank);
}

// --- sections: where on the page the words are ----------------------------------------------------
function occurrences(folded, words, from, to) {
  const found = [];
  for (const word of words) {
    for (let i = folded.indexOf(word, from); i >= 0 && i + word.length <= to; i = folded.indexOf(word, i + word.length))
      found.push({ word, at: i });
  }
  return found.sort((a, b) => a.at - b.at);
}

// A heading's own text, or for a table row its first cell (on a page whose words are spaced, up to the ". "
// Pagefind ends the cell with).
function headingOf(anchor, text, end, spaced) {
  if (anchor.text && text.startsWith(anchor.text, anchor.offset)) return anchor.text;
  const row = text.slice(anchor.offset, end);
  const cut = row.search(spaced ? /\.\s/ : /\s|\.\s/);
  return (cut > 0 ? row.slice(0, cut) : row).slice(0, spaced ? 200 : 40);
}

function sections(page) {
  const { text, folded, anchors, words, path, data, spaced } = page;
  const title = data.meta?.title || "";
  const found = occurrences(folded, words, 0, folded.length);
  const byOwner = new Map();
  for (const hit of found) {
    let owner = -1;
    for (let a = 0; a < anchors.length && anchors[a].offset <= hit.at; a++) owner = a;
    if (!byOwner.has(owner)) byOwner.set(owner, []);
    byOwner.get(owner).push(hit);
  }
  const out = [];
  for (const [owner, hits] of byOwner) {
    const anchor = anchors[owner];
    const start = anchor ? anchor.offset : 0;
    let end = text.length;
    for (let a = owner + 1; a < anchors.length; a++)
      if (anchors[a].offset > start) {
        end = anchors[a].offset;
        break;
      }
    // Before the first anchor: the page's own title (shown, marked, as the result's title), then its summary.
    const heading = anchor ? headingOf(anchor, text, end, spaced) : text.startsWith(title) ? title : "";
    const bodyStart = start + heading.length;
    const inBody = hits.filter((h) => h.at >= bodyStart);
    if (!anchor && !inBody.length) continue;
    const id = anchor?.id || "";
    out.push({
      id,
      url: anchor ? `${path}#${id}` : path,
      kind: /^m-/.test(id) ? "measure" : /^t-/.test(id) ? "target" : "text",
      title: anchor ? highlight(heading, fold(heading), words) : escapeHtml(WORDS.overview),
      excerpt: excerpt(text, folded, words, bodyStart, end, inBody, /^m-/.test(id) ? labelsOf(page, bodyStart, end) : null, spaced),
      held: new Set(hits.map((h) => h.word)).size,
      first: hits[0].at,
      also: [],
    });
  }
  // Most query words first; then measures and targets (what readers look for); then page order.  Past the
  // first few, only sections holding as many words as the best are listed (not every card naming 盘锦).
  const weight = { measure: 0, target: 1, text: 2 };
  out.sort((a, b) => b.held - a.held || weight[a.kind] - weight[b.kind] || a.first - b.first);
  return out.filter((section, i) => i < MAX_SECTIONS || section.held === out[0].held);
}

// --- excerpts -----------------------------------------------------------------------------------
const escapeHtml = (s) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

// Text with the words marked; folded is the same text folded, where the words are looked for.
function highlight(text, folded, words) {
  const marks = [];
  for (const { word, at } of occurrences(folded, words, 0, folded.length)) {
    if (!marks.length || at >= marks[marks.length - 1][1]) marks.push([at, at + word.length]);
    else marks[marks.length - 1][1] = Math.max(marks[marks.length - 1][1], at + word.length);
  }
  let marked = "";
  let from = 0;
  for (const [a, b] of marks) {
    marked += `${text.slice(from, a)}\u0001${text.slice(a, b)}\u0002`;
    from = b;
  }
  marked += text.slice(from);
  // Pagefind ends a block of text that has no punctuation of its own with ". "; in Chinese that is "。".
  return escapeHtml(marked)
    .replace(/([^\x00-\x7f][\u0001\u0002]?)\. ?(?=\S|$)/g, "$1。")
    .replace(/\u0001/g, "<mark>")
    .replace(/\u0002/g, "</mark>");
}

// The part of a section that holds the most query words, starting where a sentence or clause starts when
// one is near; hits in `aside` (a measure's labels) only when there are no others.
function excerpt(text, folded, words, from, to, hits, aside = null, spaced = false) {
  const inAside = (h) => aside && h.at >= aside[0] && h.at < aside[1];
  const usable = hits.some((h) => !inAside(h)) ? hits.filter((h) => !inAside(h)) : hits;
  let start = aside && aside[0] === from && !usable.some(inAside) ? aside[1] : from;
  if (usable.length) {
    let best = -1;
    for (const hit of usable) {
      const window = usable.filter((h) => h.at >= hit.at && h.at + h.word.length <= hit.at + EXCERPT - 40);
      const held = new Set(window.map((h) => h.word)).size;
      if (held > best) {
        best = held;
        start = hit.at;
      }
    }
    const lead = Math.max(from, aside && start >= aside[1] ? Math.max(aside[1], start - 40) : start - 40);
    const before = text.slice(lead, start);
    let cut = -1;
    for (let i = before.length - 1; i >= 0 && cut < 0; i--) if (/[。；！？!?;，,：:]/.test(before[i]) || before.startsWith(". ", i)) cut = i;
    start = cut >= 0 ? lead + cut + 1 : lead;
    // Words separated by spaces (English) are not cut: the excerpt starts at the next one.
    if (spaced && cut < 0 && start > from && /\S/.test(text[start - 1]) && /\s/.test(before)) start = lead + before.search(/\s/);
  }
  while (start < to && /[\s.。，,；;、]/.test(text[start])) start++;
  // English takes about twice the characters of Chinese to say as much, and ends at a word's end.
  let end = Math.min(to, start + (spaced ? 2 * EXCERPT : EXCERPT));
  if (spaced && end < to && /\S/.test(text[end])) {
    const last = text.slice(start, end).search(/\s\S*$/);
    if (last > 0) end = start + last;
  }
  const body = text.slice(start, end).replace(/[\s.]+$/, "");
  if (!body) return "";
  // (An English excerpt opens a sentence or clause only after its punctuation, not after any space.)
  const opened = spaced ? /[.;:!?,]\s*$/.test(text.slice(from, start)) : /[。；！？!?;：:\s]/.test(text[start - 1]);
  const opens = start === from || opened || (aside && start === aside[1]);
  const closes = end >= to || /^[\s.]*$/.test(text.slice(end, to));
  return (opens ? "" : "…") + highlight(body, folded.slice(start, start + body.length), words) + (closes ? "" : "…");
}

// A measure's labels (category、kind、level、zone), which the index holds as one sentence after its amount.
function labelsOf(page, from, to) {
  for (const category of page.data.filters?.category || []) {
    for (let i = page.text.indexOf(category, from); i >= 0 && i < to; i = page.text.indexOf(category, i + 1)) {
      if (i !== from && !/\s/.test(page.text[i - 1])) continue;
      const rest = page.text.slice(i + category.length);
      if (!/^(、|\. |\s*$)/.test(rest)) continue;
      const stop = page.text.indexOf(". ", i);
      return [i, stop >= 0 && stop < to ? stop + 2 : to];
    }
  }
  return null;
}

// --- one result per measure: its document page, with a link to the same measure on its city page ----
// City pages hold every measure and target of their documents, as #m-<document>--<id>; the document page
// holds it as #m-<id>.  The measure is shown once, under the document when the document is a result.
function group(results, matched) {
  const cityAnchor = new Map(); // "m-<document>--<id>" -> [{page, url}]: a zone's measure is on two city pages
  for (const page of matched)
    if (page.path.startsWith("/cities/"))
      for (const anchor of page.anchors)
        if (/^[mt]-.+--/.test(anchor.id)) {
          if (!cityAnchor.has(anchor.id)) cityAnchor.set(anchor.id, []);
          cityAnchor.get(anchor.id).push({ page, url: `${page.path}#${anchor.id}` });
        }
  // The sections shown under document results: "/documents/<document>/#m-<id>".
  const documentSections = new Set(
    results.filter((r) => r.path.startsWith("/documents/")).flatMap((r) => r.sections.map((section) => section.url)),
  );
  const grouped = [];
  for (const result of results) {
    const isCity = result.path.startsWith("/cities/");
    const keep = [];
    for (const section of result.sections) {
      section.also = [];
      const doc = result.path.match(/^\/documents\/([^/]+)\/$/)?.[1];
      if (doc && section.kind !== "text") {
        for (const city of cityAnchor.get(section.id.replace(/^([mt])-/, `$1-${doc}--`)) || [])
          section.also.push({ url: city.url, label: say(WORDS.cityPage, { city: city.page.data.meta?.city || WORDS.city }) });
      }
      const onCity = isCity && section.id.match(/^([mt])-(.+?)--(.+)$/);
      if (onCity) {
        const docUrl = `/documents/${onCity[2]}/#${onCity[1]}-${onCity[3]}`;
        if (documentSections.has(docUrl)) continue; // shown under its document, with a link here
        section.also.push({ url: docUrl, label: WORDS.documentText });
      }
      keep.push(section);
    }
    if (isCity && !keep.length && result.sections.length) continue; // every match was a measure shown above
    grouped.push({ ...result, sections: keep });
  }
  return grouped;
}

// --- filters: OR within one key, AND across keys; counted on the results ----------------------------
function passes(page, filters, except) {
  return Object.entries(filters).every(
    ([key, values]) => key === except || !values.length || values.some((v) => (page.data.filters?.[key] || []).includes(v)),
  );
}

function counts(matched, filters) {
  const out = {};
  for (const [key] of FILTERS) {
    out[key] = {};
    const others = matched.filter((page) => passes(page, filters, key));
    const values = new Set(others.flatMap((page) => page.data.filters?.[key] || []));
    for (const value of values) {
      // What ticking this value alone would show, grouped as it would be shown.
      const these = others.filter((page) => (page.data.filters?.[key] || []).includes(value));
      out[key][value] = group(these, matched).length;
    }
  }
  return out;
}

function renderFilters(counted) {
  const active = Object.values(state.filters).reduce((n, values) => n + values.length, 0);
  filterCount.textContent = active ? say(WORDS.chosen, { n: active }) : "";
  const focused = filterBox.contains(document.activeElement) ? document.activeElement.id : null;
  filterBox.replaceChildren();
  for (const [key, label] of FILTERS) {
    const chosen = state.filters[key] || [];
    // A value with no results is not offered, unless it is chosen (so that it can be unticked).
    const values = [...new Set([...Object.keys(counted[key] || {}), ...chosen])]
      .filter((value) => chosen.includes(value) || counted[key]?.[value] > 0)
      .sort(key === "year" ? (a, b) => b.localeCompare(a) : (a, b) => a.localeCompare(b, WORDS.locale || "zh-CN"));
    if (!values.length) continue;
    const fieldset = document.createElement("fieldset");
    fieldset.className = "filter-group";
    const legend = document.createElement("legend");
    legend.textContent = label;
    fieldset.append(legend);
    for (const value of values) {
      const name = `${key}\n${value}`;
      if (!ids.has(name)) ids.set(name, `filter-${key}-${ids.size}`);
      const id = ids.get(name);
      const wrap = document.createElement("div");
      wrap.className = "filter-option";
      const box = document.createElement("input");
      box.type = "checkbox";
      box.id = id;
      box.value = value;
      box.checked = chosen.includes(value);
      box.addEventListener("change", () => {
        const now = new Set(state.filters[key] || []);
        if (box.checked) now.add(value);
        else now.delete(value);
        state.filters[key] = [...now];
        if (!now.size) delete state.filters[key];
        writeUrl(false);
        run();
      });
      const text = document.createElement("label");
      text.htmlFor = id;
      text.textContent = say(WORDS.option, { value, n: counted[key]?.[value] ?? 0 });
      wrap.append(box, text);
      fieldset.append(wrap);
    }
    filterBox.append(fieldset);
  }
  if (!filterBox.children.length) {
    const none = document.createElement("p");
    none.className = "muted";
    none.textContent = WORDS.noFilters;
    filterBox.append(none);
  }
  if (focused) document.getElementById(focused)?.focus(); // re-rendering must not lose the reader's place
}

// --- searching -----------------------------------------------------------------------------------
async function run() {
  const mine = ++token;
  const query = state.q;
  const filters = state.filters;
  if (!pagefind) return;
  if (!query && !Object.keys(filters).length) {
    list.replaceChildren();
    more.hidden = true;
    shown = null;
    status.textContent = WORDS.start;
    if (!allFilters) allFilters = await pagefind.filters();
    if (mine === token) renderFilters(allFilters);
    return;
  }
  status.textContent = WORDS.searching;
  const words = terms(query);
  const searches = new Map();
  const fragments = new Map(); // page id -> its data, loaded once per run
  const pages = async (found) => {
    const missing = found.filter((r) => !fragments.has(r.id));
    (await load(missing)).forEach((data, i) => fragments.set(missing[i].id, data));
    return found.map((r, rank) => prepare(fragments.get(r.id), rank));
  };
  let found = await candidates(words, 1, searches);
  let loaded = await pages(found);
  if (mine !== token) return;
  if (!deeper(words)) return present(loaded, words, query, filters, true);
  present(loaded, words, query, filters, false);
  found = await candidates(words, SECOND_ROUND, searches);
  if (mine !== token) return;
  const added = found.some((r) => !fragments.has(r.id));
  if (added) loaded = await pages(found);
  if (mine !== token) return;
  if (added) present(loaded, words, query, filters, true);
  else finish(shown);
}

// Check, rank, group, filter and show the candidates; `final` when no more candidates will come.
function present(loaded, words, query, filters, final) {
  const matched = words.length ? match(loaded, words) : loaded.map((page) => ({ ...page, words: [], cost: 0 }));
  for (const page of matched) {
    page.sections = words.length ? sections(page) : [];
    page.best = Math.max(0, ...page.sections.map((section) => section.held));
  }
  // Pages where one section holds the most query words rank first (after how the query was read).
  matched.sort((a, b) => a.cost - b.cost || b.best - a.best || a.rank - b.rank);
  const results = group(matched.filter((page) => passes(page, filters)), matched);
  if (!final && !results.length) return; // nothing yet: keep saying "正在搜索…"
  list.replaceChildren();
  // A query typed without spaces is told how it was read: 盘锦孵化器 as “盘锦 孵化器”.
  const reading = results[0] && results[0].reading !== words.join(" ") ? results[0].reading : "";
  shown = { results, count: 0, query, words, reading, final };
  showMore();
  renderFilters(counts(matched, filters)); // last: the box the reader ticked gets focus where it now is
}

function finish(s) {
  if (!s) return;
  s.final = true;
  describe(s);
}

function showMore() {
  const s = shown;
  if (!s) return;
  const next = s.results.slice(s.count, s.count + PAGE_SIZE);
  for (const result of next) list.append(renderResult(result));
  s.count += next.length;
  const left = s.results.length - s.count;
  more.hidden = left <= 0;
  more.textContent = say(WORDS.more, { n: left });
  describe(s);
}

function describe(s) {
  const what = s.query ? say(s.reading ? WORDS.readAs : WORDS.query, { query: s.query, reading: s.reading }) : WORDS.selection;
  const narrowed = Object.keys(state.filters).length ? WORDS.narrowed : "";
  const said = { n: s.results.length, what, narrowed };
  status.textContent = say(!s.final ? WORDS.finding : !s.results.length ? WORDS.none : WORDS.found, said);
}

// --- results -------------------------------------------------------------------------------------
function link(url, html, className) {
  const a = document.createElement("a");
  a.href = relative(url);
  if (className) a.className = className;
  a.innerHTML = html; // escaped text with <mark> only
  return a;
}

// Links stay relative, so the site works under any path: from /search/ the root is "../".
function relative(url) {
  return `../${url.replace(/^\//, "")}`;
}

function renderSections(found) {
  const subs = document.createElement("ul");
  subs.className = "result-sections";
  for (const section of found) {
    const li = document.createElement("li");
    li.append(link(section.url, section.title, "section-link"));
    for (const also of section.also) {
      const span = document.createElement("span");
      span.className = "section-also";
      span.append(WORDS.alsoAt, link(also.url, escapeHtml(also.label)));
      li.append(" ", span);
    }
    if (section.excerpt) {
      const p = document.createElement("p");
      p.className = "excerpt";
      p.innerHTML = section.excerpt; // escaped text with <mark> only
      li.append(p);
    }
    subs.append(li);
  }
  return subs;
}

function renderResult(result) {
  const { data, sections: found } = result;
  const item = document.createElement("li");
  item.className = "result";
  const heading = document.createElement("h2");
  heading.className = "result-title";
  const title = data.meta?.title || result.path;
  heading.append(link(result.path, highlight(title, fold(title), result.words || [])));
  const meta = document.createElement("p");
  meta.className = "result-meta";
  meta.textContent = [data.meta?.city, data.meta?.document, data.meta?.date].filter(Boolean).join(" · ");
  item.append(heading, meta);
  if (found.length) {
    item.append(renderSections(found.slice(0, MAX_SECTIONS)));
    if (found.length > MAX_SECTIONS) {
      // The rest of the page's sections, folded: every measure stays reachable with both of its links.
      const rest = document.createElement("details");
      rest.className = "result-more";
      const summary = document.createElement("summary");
      summary.textContent = say(WORDS.rest, { n: found.length - MAX_SECTIONS });
      rest.append(summary, renderSections(found.slice(MAX_SECTIONS)));
      item.append(rest);
    }
  } else {
    const p = document.createElement("p");
    p.className = "excerpt";
    const start = data.meta?.title && result.text.startsWith(data.meta.title) ? data.meta.title.length : 0;
    p.innerHTML = excerpt(result.text, result.folded, [], start, result.text.length, [], null, result.spaced);
    item.append(p);
  }
  return item;
}
