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
      tile.querySelector(".tile-value").textContent = text;
      tile.setAttribute("aria-label", say(WORDS.tile, { city: tile.dataset.name, value: text === "—" ? WORDS.noEntry : text }));
    }
  }
}

