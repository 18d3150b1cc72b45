// The home page's tile map: a reader picks what the tiles show (the layers are in the page, built with the site).
// Without JavaScript the first layer is shown as built.

// The words come from the page (#tilemap-words, rendered through the edition's catalogue).
const WORDS = JSON.parse(document.getElementById("tilemap-words")?.textContent || "{}");
const say = (message, params = {}) => (message || "").replace(/%\((\w+)\)s/g, (_, name) => String(params[name]));
const data = document.getElementById("tilemap-data");
const select = document.getElementById("map-layer");
const map = document.querySelector("svg.tilemap");
if (data && select && map) {
  const layers = JSON.parse(data.textContent);
  const note = document.getElementById("map-note");
  const title = document.getElementById("map-title");
  document.getElementById("map-pick").hidden = false;
  select.addEventListener("change", () => show(layers.find((layer) => layer.key === select.value)));

  function show(layer) {
    if (!layer) return;
    title.textContent = layer.label;
    note.textContent = layer.note;
    for (const tile of map.querySelectorAll("a.tile")) {
      const [text, shade] = layer.values[tile.dataset.city] || ["—", "none"];
      tile.setAttribute("class", `tile tile-${shade}`);
      setTileValue(tile, text);
      tile.setAttribute("aria-label", say(WORDS.tile, { city: tile.dataset.name, value: text === "—" ? WORDS.noEntry : text }));
    }
  }
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
