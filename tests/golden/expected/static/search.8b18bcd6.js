/* The search page: every language's index is searched at once, each with its own rules (its
   stemmer, or word splitting for Chinese and Japanese), and the results are ranked together.

   The page lists each language's Pagefind bundles (data-indexes): the first of a language is
   loaded as a Pagefind instance of its own (its pagefind.js, its WebAssembly), the others are
   merged into it. Nothing from the index is put into the page as HTML: titles and excerpts are
   set as text, the excerpt's marks rebuilt as <mark> elements. */

const root = document.getElementById("search");
const form = root.querySelector("form");
const input = root.querySelector("input[type=search]");
const status = root.querySelector(".search-status");
const list = root.querySelector(".search-results");
const more = root.querySelector(".search-more");
const narrow = root.querySelector(".search-narrow");
const filterBox = root.querySelector(".search-filters");
// The site's address: data-base is its path ("/", "/archive/") or, in a portable build, the way
// from this page to its root ("../"), which the page's own address resolves.
const base = new URL(root.dataset.base, document.baseURI).href;
const indexes = JSON.parse(root.dataset.indexes); // [[language, name, [bundle URL, ...]], ...]
const words = JSON.parse(root.dataset.words); // the page's own labels, in its language
const FILTERS = ["tag", "source", "author", "original language", "translation", "year"];
const PAGE = 10;

let instances = null; // [{language, name, pagefind}], once loaded
let shown = []; // the ranked results of the current search
let asked = 0; // the number of the latest search: an older one's answer is dropped

function siteUrl(url) {
  return base + url.replace(/^\//, "");
}

async function loadLanguage([language, name, bundles]) {
  const first = siteUrl(bundles[0]);
  const pagefind = await import(first + "pagefind.js");
  await pagefind.options({ basePath: first, baseUrl: new URL(base).pathname, excerptLength: 24 });
  // Every shard of the language merged at once: one after the other, their requests would wait
  // for each other's answers.
  await Promise.all(bundles.slice(1).map((bundle) => pagefind.mergeIndex(siteUrl(bundle), { language })));
  await pagefind.init();
  return { language, name, pagefind };
}

async function load() {
  if (!indexes.length) {
    throw new Error("this site was built without its search index");
  }
  if (!instances) {
    instances = Promise.all(indexes.map(loadLanguage));
  }
  return instances;
}

/* The filters are listed when a reader opens them (or the address names one): listing them
   loads every index's filter files, which a search alone does not need. */
let filtersShown = null;
async function loadFilters() {
  if (!filtersShown) {
    filtersShown = load().then(showFilters);
  }
  return filtersShown;
}

async function showFilters(loaded) {
  const counts = {};
  for (const { pagefind } of loaded) {
    for (const [filter, values] of Object.entries(await pagefind.filters())) {
      counts[filter] = counts[filter] || {};
      for (const [value, count] of Object.entries(values)) {
        counts[filter][value] = (counts[filter][value] || 0) + count;
      }
    }
  }
  const params = new URLSearchParams(location.search);
  for (const filter of FILTERS) {
    const values = Object.keys(counts[filter] || {});
    if (!values.length) {
      continue;
    }
    values.sort(filter === "year" ? (a, b) => b.localeCompare(a) : (a, b) => a.localeCompare(b));
    const label = document.createElement("label");
    const caption = document.createElement("span");
    caption.textContent = words.filters[filter];
    const select = document.createElement("select");
    select.name = filter;
    select.append(new Option(words.any, ""));
    for (const value of values) {
      select.append(new Option(`${value} (${counts[filter][value]})`, value));
    }
    select.value = params.get(filter) || "";
    select.addEventListener("change", () => search());
    label.append(caption, select);
    filterBox.append(label);
    narrow.open ||= Boolean(select.value);
  }
  if (!filterBox.children.length) {
    narrow.hidden = true;
  }
}

function chosenFilters() {
  const chosen = {};
  for (const select of filterBox.querySelectorAll("select")) {
    if (select.value) {
      chosen[select.name] = select.value;
    }
  }
  return chosen;
}

function say(template, count, term) {
  return template.replace("{count}", count.toLocaleString(document.documentElement.lang)).replace("{term}", term);
}

async function search() {
  const term = input.value.trim();
  const filters = chosenFilters();
  const number = ++asked;
  keepInAddress(term, filters);
  if (!term && !Object.keys(filters).length) {
    shown = [];
    list.replaceChildren();
    more.hidden = true;
    status.textContent = "";
    return;
  }
  status.textContent = words.searching;
  let loaded;
  try {
    loaded = await load();
  } catch (error) {
    status.textContent = indexes.length ? words.failed : words.unbuilt;
    return;
  }
  const answers = await Promise.all(
    loaded.map(async ({ language, name, pagefind }) => {
      const found = await pagefind.search(term || null, { filters });
      return found.results.map((result) => ({ result, language, name }));
    }),
  );
  if (number !== asked) {
    return; // a newer search has started
  }
  shown = answers.flat().sort((a, b) => b.result.score - a.result.score);
  list.replaceChildren();
  const count = shown.length;
  // The count's plural form by the page language's rules (one, few, many, other...), as the
  // catalog words each (see the search page's view).
  const form = new Intl.PluralRules(document.documentElement.lang).select(count);
  const template = count === 0 ? words.none : words.results[form] || words.results.other;
  status.textContent = say(template, count, term);
  await showMore();
}

async function showMore() {
  const start = list.children.length;
  const next = shown.slice(start, start + PAGE);
  const number = asked;
  const items = await Promise.all(next.map(resultItem));
  if (number !== asked) {
    return;
  }
  list.append(...items);
  more.hidden = list.children.length >= shown.length;
}

async function resultItem({ result, language, name }) {
  const data = await result.data();
  const item = document.createElement("li");
  item.className = "search-result";
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  if (data.meta.language) {
    link.lang = data.meta.language;
  }
  heading.append(link);
  const meta = document.createElement("p");
  meta.className = "search-result-meta";
  meta.textContent = [data.meta.date, name].filter(Boolean).join(" · ");
  const excerpt = document.createElement("p");
  excerpt.className = "search-result-excerpt";
  excerpt.lang = data.meta.language || language;
  excerpt.append(...marked(data.excerpt));
  item.append(heading, meta, excerpt);
  return item;
}

/* The excerpt as text nodes and <mark> elements: Pagefind marks the matched words with <mark>,
   and escapes nothing else that matters here, since every node is made as text. */
function marked(excerpt) {
  const nodes = [];
  const parts = excerpt.split(/(<mark>|<\/mark>)/);
  let inMark = false;
  for (const part of parts) {
    if (part === "<mark>") {
      inMark = true;
    } else if (part === "</mark>") {
      inMark = false;
    } else if (part) {
      const text = document.createTextNode(unescapeEntities(part));
      if (inMark) {
        const mark = document.createElement("mark");
        mark.append(text);
        nodes.push(mark);
      } else {
        nodes.push(text);
      }
    }
  }
  return nodes;
}

function unescapeEntities(text) {
  return text.replace(/&(lt|gt|quot|#39|amp);/g, (_, name) => ({ lt: "<", gt: ">", quot: '"', "#39": "'", amp: "&" })[name]);
}

function keepInAddress(term, filters) {
  const params = new URLSearchParams();
  if (term) {
    params.set("q", term);
  }
  for (const [filter, value] of Object.entries(filters)) {
    params.set(filter, value);
  }
  const query = params.toString();
  history.replaceState(null, "", query ? `?${query}` : location.pathname);
}

let waiting = null;
input.addEventListener("input", () => {
  clearTimeout(waiting);
  waiting = setTimeout(search, 150);
});
input.addEventListener("focus", () => load().catch(() => {}), { once: true });
form.addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(waiting);
  search();
});
more.addEventListener("click", () => showMore());
narrow.addEventListener("toggle", () => narrow.open && loadFilters().catch(() => {}));

const params = new URLSearchParams(location.search);
input.value = params.get("q") || "";
root.hidden = false;
narrow.hidden = !indexes.length;
const offline = location.protocol === "file:"; // browsers load no index (fetch, WebAssembly) from files
if (!indexes.length) {
  status.textContent = words.unbuilt;
} else if (offline) {
  status.textContent = words.offline;
  input.disabled = true;
  narrow.hidden = true;
}
if (offline) {
  // Nothing to load: the notice above says why.
} else if (FILTERS.some((filter) => params.get(filter))) {
  narrow.open = true;
  loadFilters().then(search);
} else if (input.value) {
  load().then(search);
}
