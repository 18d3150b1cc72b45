// Comparison tables: sort rows, choose 2–4 cities, keep both in the URL.
// Progressive enhancement: without JavaScript the full table is shown as is.

const MAX_CITIES = 4;
const MIN_CITIES = 2;

const table = document.querySelector("table[data-compare]");
if (table) enhance(table);

function enhance(table) {
  const tbody = table.tBodies[0];
  const headers = [...table.tHead.rows[0].cells];
  const picker = document.getElementById("city-picker");
  const status = document.getElementById("picker-status");
  const boxes = [...picker.querySelectorAll('input[name="cities"]')];
  const known = new Set(boxes.map((box) => box.value));
  let sort = { key: "", dir: "" };

  // --- sorting --------------------------------------------------------------
  for (const th of headers) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort-button";
    button.append(...th.childNodes);
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

  // --- choosing cities ------------------------------------------------------
  picker.hidden = false;
  picker.addEventListener("change", (event) => {
    const checked = boxes.filter((box) => box.checked);
    if (checked.length > MAX_CITIES) event.target.checked = false;
    showCities(boxes.filter((box) => box.checked).map((box) => box.value));
    writeUrl();
  });
  document.getElementById("picker-clear").addEventListener("click", () => {
    for (const box of boxes) box.checked = false;
    showCities([]);
    writeUrl();
  });

  function selected() {
    return boxes.filter((box) => box.checked).map((box) => box.value);
  }

  function showCities(cities) {
    const active = cities.length >= MIN_CITIES;
    const visible = (city) => !active || cities.includes(city);
    for (const el of table.querySelectorAll("[data-city]")) {
      el.classList.toggle("col-hidden", !visible(el.dataset.city));
    }
    for (const box of boxes) box.disabled = !box.checked && cities.length >= MAX_CITIES;
    if (cities.length === 1) status.textContent = "再选择至少一个城市，即可并排比较。";
    else if (active) status.textContent = `正在比较 ${cities.length} 个城市，最多 ${MAX_CITIES} 个。`;
    else status.textContent = "";
    markBest(visible);
  }

  function markBest(visible) {
    for (const row of tbody.rows) {
      const cells = [...row.querySelectorAll("td[data-city]")].filter((td) => visible(td.dataset.city));
      const valued = cells.filter((td) => parseValue(td.dataset.value) !== null);
      const best = valued.length ? Math.max(...valued.map((td) => parseValue(td.dataset.value))) : null;
      const winners = valued.filter((td) => parseValue(td.dataset.value) === best);
      for (const td of row.querySelectorAll("td[data-city]")) {
        const isBest = valued.length >= 2 && winners.includes(td);
        td.classList.toggle("best", isBest);
        let mark = td.querySelector(".best-mark");
        if (isBest && !mark) {
          mark = document.createElement("span");
          mark.className = "best-mark";
          mark.textContent = "最高";
          td.prepend(mark);
        } else if (!isBest && mark) {
          mark.remove();
        }
      }
      const bestCell = row.querySelector("[data-best-text]");
      bestCell.textContent = winners.length
        ? `${winners[0].dataset.bestText}（${winners.map((td) => td.dataset.cityName).join("、")}）`
        : "—";
      row.dataset.best = best === null ? "" : String(best);
    }
    if (sort.key) applySort(sort.key, sort.dir);
  }

  // --- the URL holds the state ---------------------------------------------
  function writeUrl() {
    const params = new URLSearchParams(location.search);
    const cities = selected();
    if (cities.length) params.set("cities", cities.join(","));
    else params.delete("cities");
    if (sort.key) params.set("sort", `${sort.key}:${sort.dir === "ascending" ? "asc" : "desc"}`);
    else params.delete("sort");
    const query = params.toString();
    history.replaceState(null, "", query ? `?${query}${location.hash}` : `${location.pathname}${location.hash}`);
  }

  function readUrl() {
    const params = new URLSearchParams(location.search);
    const wanted = (params.get("cities") || "").split(",").filter((c) => known.has(c)).slice(0, MAX_CITIES);
    for (const box of boxes) box.checked = wanted.includes(box.value);
    showCities(wanted);
    const [key, dir] = (params.get("sort") || "").split(":");
    if (key) applySort(key, dir === "asc" ? "ascending" : "descending");
  }

  readUrl();
}

function parseValue(text) {
  if (text === undefined || text === "") return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}
