// Comparison tables: choose 2–4 cities, filter by status, sort rows; the URL holds all three
// (?cities=, ?status=, ?sort=) and the links to the other comparisons carry the cities.
// 最高 is worked out again for what is shown, by the rule of site_gen/derive/compare.py (judge):
// only among figures of one scope and basis, and only when at least two cities have one.
// Progressive enhancement: without JavaScript the full table, its marks and its notes are shown as built.

const MAX_CITIES = 4;
const MIN_CITIES = 2;
const SCOPE_ORDER = ["city", "province", "city-zones", "province-zones", "each-zone", "zone", "district"];
// The words come from the page (#compare-words, rendered through the edition's catalogue).
const WORDS = JSON.parse(document.getElementById("compare-words")?.textContent || "{}");
const SCOPE_GROUP_LABELS = WORDS.scopes || {};
const BASIS_LABELS = { total: "", "per-unit": WORDS.perUnit, value: "" };
const say = (message, params = {}) => message.replace(/%\((\w+)\)s/g, (_, name) => String(params[name]));
const FIT = [[2, "c2"], [4, "c4"], [6, "c6"], [8, "c8"], [10, "c10"], [12, "c12"]];

const table = document.querySelector("table[data-compare]");
if (table) enhance(table);

function enhance(table) {
  const offers = table.dataset.kind === "offers";
  const tbody = table.tBodies[0];
  const headers = [...table.tHead.rows[0].cells];
  const fit = document.getElementById("compare-fit");
  const form = document.getElementById("city-picker");
  const status = document.getElementById("picker-status");
  const boxes = [...form.querySelectorAll('input[name="cities"]')];
  const radios = [...form.querySelectorAll('input[name="status"]')];
  const known = new Set(boxes.map((box) => box.value));
  const data = JSON.parse(document.getElementById("compare-data").textContent);
  const mapSelect = document.getElementById("map-row");
  let sort = { key: "", dir: "" };
  let elsewhere = []; // chosen on another comparison, no column here: kept in the URL for the others
  let filter = "all";

  // --- sorting --------------------------------------------------------------
  for (const th of headers) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort-button";
    const printed = document.createElement("span"); // Chromium does not paint buttons in a header row repeated on paper
    printed.className = "print-label";
    printed.textContent = th.textContent;
    button.append(...th.childNodes);
    th.append(printed);
    const arrow = document.createElement("span");
    arrow.className = "sort-arrow";
    arrow.setAttribute("aria-hidden", "true");
    button.append(arrow);
    th.append(button);
    button.addEventListener("click", () => {
      const key = sortKey(th);
      const first = key === "label" ? "ascending" : "descending";
      const dir = sort.key === key ? (sort.dir === "descending" ? "ascending" : "descending") : first;
      applySort(key, dir);
      writeUrl();
    });
  }

  function sortKey(th) {
    return th.dataset.sort === "city" ? th.dataset.city : th.dataset.sort;
  }

  function rowValue(row, key) {
    if (key === "label") return Number(row.dataset.order);
    if (key === "best") return parseValue(row.dataset.best);
    const cell = row.querySelector(`td[data-city="${CSS.escape(key)}"]`);
    return cell ? parseValue(cell.dataset.value) : null;
  }

  function applySort(key, dir) {
    const header = headers.find((th) => sortKey(th) === key);
    if (!header) return;
    sort = { key, dir };
    const sign = dir === "ascending" ? 1 : -1;
    const rows = [...tbody.rows];
    rows.sort((a, b) => {
      const va = rowValue(a, key);
      const vb = rowValue(b, key);
      if (va === null && vb === null) return Number(a.dataset.order) - Number(b.dataset.order);
      if (va === null) return 1; // rows without a value always go last
      if (vb === null) return -1;
      return (va - vb) * sign || Number(a.dataset.order) - Number(b.dataset.order);
    });
    tbody.append(...rows);
    for (const th of headers) {
      if (th === header) th.setAttribute("aria-sort", dir);
      else th.removeAttribute("aria-sort");
    }
  }

  // --- choosing cities and status -----------------------------------------
  form.hidden = false;
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("change", (event) => {
    if (event.target.name === "cities") {
      const checked = boxes.filter((box) => box.checked);
      if (checked.length > MAX_CITIES) event.target.checked = false;
    }
    filter = radios.find((radio) => radio.checked)?.value || "all";
    update();
    writeUrl();
  });
  document.getElementById("picker-clear").addEventListener("click", () => {
    for (const box of boxes) box.checked = false;
    elsewhere = [];
    update();
    writeUrl();
  });

  function chosen() {
    return boxes.filter((box) => box.checked).map((box) => box.value);
  }

  function shownCities() {
    const cities = chosen();
    return cities.length >= MIN_CITIES ? cities : boxes.map((box) => box.value);
  }

  const statusOk = (entry) => filter === "all" || entry.dataset.status === filter;

  function update() {
    const cities = chosen();
    const shown = new Set(shownCities());
    for (const el of table.querySelectorAll("[data-city]")) {
      el.classList.toggle("col-hidden", !shown.has(el.dataset.city));
    }
    for (const box of boxes) box.disabled = !box.checked && cities.length >= MAX_CITIES;
    const names = elsewhere.length ? say(WORDS.elsewhere, { n: elsewhere.length }) : "";
    if (cities.length === 1) status.textContent = say(WORDS.pickOne, { names });
    else if (cities.length >= MIN_CITIES) status.textContent = say(WORDS.comparing, { n: cities.length, max: MAX_CITIES, names });
    else status.textContent = names;
    fit.dataset.fit = fitClass(shown.size);

    let rowsShown = 0;
    let rowsHidden = 0;
    for (const row of tbody.rows) {
      const cells = [...row.querySelectorAll("td[data-city]")].filter((td) => shown.has(td.dataset.city));
      let anyEntry = false;
      const missing = [];
      for (const td of row.querySelectorAll("td[data-city]")) {
        const entries = [...td.querySelectorAll(".entry")];
        let visible = 0;
        let top = null;
        for (const entry of entries) {
          const ok = statusOk(entry);
          entry.classList.toggle("entry-hidden", !ok);
          if (!ok) continue;
          visible += 1;
          const value = parseValue(entry.dataset.value);
          if (value !== null && (top === null || value > top)) top = value;
        }
        td.classList.toggle("filtered-empty", entries.length > 0 && visible === 0);
        td.dataset.value = top === null ? "" : String(top);
        if (shown.has(td.dataset.city)) {
          if (visible) anyEntry = true;
          else missing.push(td.dataset.cityName);
        }
      }
      const hide = (filter !== "all" || cities.length >= MIN_CITIES) && !anyEntry;
      row.classList.toggle("row-hidden", hide);
      if (!hide) rowsShown += 1;
      else rowsHidden += 1;
      row.querySelector("[data-missing]").textContent = missing.length ? say(WORDS.missing, { cities: missing.join(WORDS.list) }) : "";
      markRow(row, cells);
    }
    document.getElementById("filter-empty").hidden = rowsShown > 0;
    if (rowsHidden) {
      status.textContent += `${status.textContent ? " " : ""}${say(WORDS.rowsHidden, { n: rowsHidden })}`;
    }
    document.getElementById("table-size").textContent = say(WORDS.size, { rows: rowsShown, cities: shown.size });
    updateNotes();
    updateCharts(shown);
    updateMap(new Set(cities.length >= MIN_CITIES ? cities : []));
    updateLinks();
    if (sort.key) applySort(sort.key, sort.dir);
  }

  // --- 最高, as site_gen/derive/compare.py judge() -------------------------
  function markRow(row, cells) {
    const visibleEntries = (td) => [...td.querySelectorAll(".entry")].filter(statusOk);
    const groups = new Map();
    for (const td of cells) {
      for (const entry of visibleEntries(td)) {
        const value = parseValue(entry.dataset.value);
        if (value === null) continue;
        if (!groups.has(entry.dataset.group)) groups.set(entry.dataset.group, new Map());
        const best = groups.get(entry.dataset.group);
        const current = best.get(td.dataset.city);
        if (!current || value > current.value) best.set(td.dataset.city, { value, entry });
      }
    }
    const marked = new Set();
    const parts = [];
    let yearsDiffer = false;
    let rowBest = null;
    const order = [...groups.keys()].sort((a, b) => groupOrder(a, b));
    for (const group of order) {
      const perCity = groups.get(group);
      if (perCity.size < 2) continue;
      const top = Math.max(...[...perCity.values()].map((v) => v.value));
      rowBest = rowBest === null ? top : Math.max(rowBest, top);
      const winners = cells.filter((td) => perCity.has(td.dataset.city) && perCity.get(td.dataset.city).value === top);
      for (const td of winners) {
        for (const entry of visibleEntries(td)) {
          if (entry.dataset.group === group && parseValue(entry.dataset.value) === top) marked.add(entry);
        }
      }
      const chosenEntries = winners.map((td) => perCity.get(td.dataset.city).entry);
      const first = chosenEntries[0];
      const zoned = ["zone", "district"].includes(first.dataset.scopeKind);
      const names = winners.map((td, i) => (zoned ? chosenEntries[i].dataset.scope : td.dataset.cityName));
      let said;
      if (offers) said = names.join(WORDS.list);
      else if (new Set(chosenEntries.map((e) => e.dataset.year)).size === 1) said = say(WORDS.namesYear, { names: names.join(WORDS.list), year: first.dataset.year });
      else said = names.map((n, i) => say(WORDS.nameYear, { name: n, year: chosenEntries[i].dataset.year })).join(WORDS.list);
      parts.push([group, say(WORDS.said, { figure: first.dataset.text, said })]);
      if (!offers && new Set([...perCity.values()].map((v) => v.entry.dataset.year)).size > 1) yearsDiffer = true;
    }
    let verdict;
    if (parts.length) {
      verdict = parts.length === 1 ? parts[0][1] : parts.map(([g, t]) => {
        const [scope, basis] = g.split("/");
        return say(WORDS.group, { scope: SCOPE_GROUP_LABELS[scope], basis: BASIS_LABELS[basis], text: t });
      }).join(WORDS.parts);
      if (yearsDiffer) verdict = say(WORDS.yearsDiffer, { verdict });
    } else {
      const valued = cells.filter((td) => visibleEntries(td).some((e) => parseValue(e.dataset.value) !== null));
      if (valued.length === 1) {
        let entry = null;
        for (const e of visibleEntries(valued[0])) {
          const value = parseValue(e.dataset.value);
          if (value !== null && (entry === null || value > parseValue(entry.dataset.value))) entry = e;
        }
        const scope = ["city", "province"].includes(entry.dataset.scopeKind) ? "" : say(WORDS.scope, { scope: entry.dataset.scope });
        verdict = say(offers ? WORDS.onlyAmount : WORDS.onlyFigure, { city: valued[0].dataset.cityName, figure: entry.dataset.text, scope });
      } else if (valued.length) {
        verdict = WORDS.differ;
      } else {
        verdict = "—";
      }
    }
    for (const td of row.querySelectorAll("td[data-city]")) {
      let cellBest = false;
      for (const entry of td.querySelectorAll(".entry")) {
        const isBest = marked.has(entry);
        cellBest ||= isBest;
        entry.classList.toggle("best", isBest);
        let mark = entry.querySelector(".best-mark");
        if (isBest && !mark) {
          mark = document.createElement("span");
          mark.className = "best-mark";
          mark.textContent = WORDS.best;
          entry.prepend(mark);
        } else if (!isBest && mark) {
          mark.remove();
        }
      }
      td.classList.toggle("best", cellBest);
    }
    const verdictCell = row.querySelector("[data-verdict]");
    verdictCell.textContent = verdict;
    verdictCell.closest("td").classList.toggle("verdict-none", verdict === "—");
    let largest = null;
    for (const td of cells) {
      const value = parseValue(td.dataset.value);
      if (value !== null && (largest === null || value > largest)) largest = value;
    }
    row.dataset.best = largest === null ? "" : String(largest);
  }

  function groupOrder(a, b) {
    const [sa, ba] = a.split("/");
    const [sb, bb] = b.split("/");
    return SCOPE_ORDER.indexOf(sa) - SCOPE_ORDER.indexOf(sb) || (ba < bb ? -1 : ba > bb ? 1 : 0);
  }

  // --- notes, charts, map ---------------------------------------------------
  function updateNotes() {
    const used = new Set();
    for (const row of tbody.rows) {
      if (row.classList.contains("row-hidden")) continue;
      for (const td of row.querySelectorAll("td[data-city]:not(.col-hidden)")) {
        for (const entry of td.querySelectorAll(".entry:not(.entry-hidden)")) {
          for (const ref of entry.querySelectorAll(".note-ref")) used.add(ref.getAttribute("popovertarget").slice(2));
        }
      }
    }
    for (const note of document.querySelectorAll(".notes-list li[data-note]")) {
      note.hidden = !used.has(note.dataset.note);
    }
  }

  function updateCharts(shown) {
    for (const figure of document.querySelectorAll("figure[data-chart]")) {
      const svg = figure.querySelector("svg");
      let index = 0;
      for (const bar of svg.querySelectorAll("g.chart-bar")) {
        const visible = shown.has(bar.dataset.city) && (filter === "all" || bar.dataset.status === filter);
        bar.classList.toggle("bar-hidden", !visible);
        if (visible) {
          bar.setAttribute("transform", `translate(0 ${(index - Number(bar.dataset.index)) * 40})`);
          index += 1;
        }
      }
      const height = 12 + index * 40;
      svg.setAttribute("height", String(height));
      svg.setAttribute("viewBox", `0 0 ${svg.viewBox.baseVal.width} ${height}`);
      figure.hidden = index === 0;
    }
  }

  function updateMap(picked) {
    const map = document.querySelector("svg.tilemap");
    if (!map || !mapSelect) return;
    const row = document.getElementById(mapSelect.value);
    document.getElementById("map-title").textContent = mapSelect.selectedOptions[0]?.textContent || "";
    const tiles = new Set([...map.querySelectorAll("a.tile")].map((tile) => tile.dataset.city));
    const values = new Map();
    for (const td of row.querySelectorAll("td[data-city]")) {
      if (!tiles.has(td.dataset.city)) continue; // the province has no tile
      const entries = [...td.querySelectorAll(".entry")].filter(statusOk);
      if (!entries.length) continue;
      let top = null;
      for (const entry of entries) {
        const value = parseValue(entry.dataset.value);
        if (value !== null && (top === null || value > parseValue(top.dataset.value))) top = entry;
      }
      values.set(td.dataset.city, top ? [parseValue(top.dataset.value), top.dataset.short] : [null, entries[0].dataset.short]);
    }
    const numbers = [...values.values()].map(([v]) => v).filter((v) => v !== null);
    const largest = numbers.length ? Math.max(...numbers) : 0;
    for (const tile of map.querySelectorAll("a.tile")) {
      const found = values.get(tile.dataset.city);
      const [text, shade] = found ? tileValue(found[0], found[1], largest) : ["—", "none"];
      setTile(tile, text, shade, picked.has(tile.dataset.city));
    }
  }

  // --- the URL holds the state ---------------------------------------------
  function urlCities() {
    return [...chosen(), ...elsewhere];
  }

  function writeUrl() {
    const params = new URLSearchParams(location.search);
    const cities = urlCities();
    if (cities.length) params.set("cities", cities.join(","));
    else params.delete("cities");
    if (filter !== "all") params.set("status", filter);
    else params.delete("status");
    if (sort.key) params.set("sort", `${sort.key}:${sort.dir === "ascending" ? "asc" : "desc"}`);
    else params.delete("sort");
    const query = params.toString();
    history.replaceState(null, "", query ? `?${query}${location.hash}` : `${location.pathname}${location.hash}`);
    updateLinks();
  }

  function updateLinks() {
    const cities = urlCities();
    for (const link of document.querySelectorAll("a[data-carry-cities]")) {
      const url = new URL(link.getAttribute("href"), location.href);
      if (cities.length) url.searchParams.set("cities", cities.join(","));
      else url.searchParams.delete("cities");
      link.href = url.href;
    }
    const printed = document.getElementById("print-url");
    if (printed) printed.textContent = location.href;
  }

  function readUrl() {
    const params = new URLSearchParams(location.search);
    const wanted = (params.get("cities") || "").split(",").filter((c) => /^[a-z0-9]+(-[a-z0-9]+)*$/.test(c));
    const here = wanted.filter((c) => known.has(c)).slice(0, MAX_CITIES);
    elsewhere = wanted.filter((c) => !known.has(c)).slice(0, MAX_CITIES);
    for (const box of boxes) box.checked = here.includes(box.value);
    const wantedStatus = params.get("status");
    filter = radios.some((radio) => radio.value === wantedStatus) ? wantedStatus : "all";
    for (const radio of radios) radio.checked = radio.value === filter;
    if (mapSelect && location.hash && [...mapSelect.options].some((o) => `#${o.value}` === location.hash)) {
      mapSelect.value = location.hash.slice(1);
    }
    update();
    const [key, dir] = (params.get("sort") || "").split(":");
    if (key) applySort(key, dir === "asc" ? "ascending" : "descending");
  }

  // --- copy, download, print -----------------------------------------------
  const said = document.getElementById("action-status");
  document.getElementById("copy-link").addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(location.href);
      said.textContent = WORDS.copied;
    } catch {
      said.textContent = say(WORDS.copyByHand, { url: location.href });
    }
  });
  document.getElementById("download-csv").addEventListener("click", () => {
    const shown = new Set(shownCities());
    const root = new URL(table.dataset.root, location.href);
    const lines = data.lines
      .filter(([city, state]) => shown.has(city) && (state === "" || filter === "all" || state === filter))
      .map(([, , cells]) => cells.map((cell, i) => (i === data.link && cell ? new URL(cell, root).href : cell)));
    const text = [data.header, ...lines].map((cells) => cells.map(csvCell).join(",")).join("\r\n") + "\r\n";
    const link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob(["\ufeff" + text], { type: "text/csv;charset=utf-8" }));
    const picked = chosen();
    link.download = `${table.dataset.compare}${picked.length >= MIN_CITIES ? "-" + picked.join("-") : ""}`
      + `${filter !== "all" ? "-" + filter : ""}.csv`;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    said.textContent = say(WORDS.downloaded, { n: lines.length, cities: shown.size });
  });
  document.getElementById("print-page").addEventListener("click", () => window.print());
  if (mapSelect) {
    document.getElementById("map-pick").hidden = false;
    mapSelect.addEventListener("change", () => update());
  }

  readUrl();
  if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
}

function fitClass(columns) {
  for (const [most, name] of FIT) if (columns <= most) return name;
  return "c14";
}

function csvCell(cell) {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}

// Shades as site_gen/derive/tilemap.py: quarters of the largest value.
function tileValue(value, text, largest) {
  if (value === null) return [text || WORDS.some, "text"];
  if (value === 0) return [text, "none"];
  if (largest <= 0) return [text, "1"];
  return [text, String(Math.min(4, Math.max(1, Math.ceil((4 * value) / largest - 1e-9))))];
}

function setTile(tile, text, shade, picked) {
  tile.setAttribute("class", `tile tile-${shade}${picked ? " tile-picked" : ""}`);
  setTileValue(tile, text);
  tile.setAttribute("aria-label", say(WORDS.tile, { city: tile.dataset.name, value: text === "—" ? WORDS.noEntry : text }));
}

function parseValue(text) {
  if (text === undefined || text === "") return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

// A tile's value: one line, or (not in Chinese) two cut at the space nearest the middle when it is longer
// than a 64-px tile holds, as site_gen/render/environment.py's tile_lines prints it.
function setTileValue(tile, text) {
  const value = tile.querySelector(".tile-value");
  const x = value.getAttribute("x");
  const top = Number(tile.querySelector(".tile-rect").getAttribute("y"));
  const spaces = [...text].map((c, i) => (c === " " ? i : -1)).filter((i) => i >= 0);
  value.replaceChildren();
  if (document.documentElement.lang === "zh-CN" || text.length <= 9 || !spaces.length) {
    value.setAttribute("y", top + 47);
    value.textContent = text;
    return;
  }
  const cut = spaces.reduce((a, b) => (Math.abs(b - text.length / 2) < Math.abs(a - text.length / 2) ? b : a));
  value.setAttribute("y", top + 40);
  [text.slice(0, cut), text.slice(cut + 1)].forEach((line, i) => {
    const span = document.createElementNS("http://www.w3.org/2000/svg", "tspan");
    span.setAttribute("x", x);
    span.setAttribute("y", top + 40 + 12 * i);
    span.textContent = line;
    value.append(span);
  });
}
