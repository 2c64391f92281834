// Clusterkette: associations to a central term, optionally linked to an earlier term so chains
// form. Phones add terms and watch the clusters form; the projector shows the growing graph
// (d3-force, SVG); the cockpit sorts terms into named clusters by drag and drop (SortableJS) or,
// without a mouse, with the "move to" list next to each term.
//
// The vendored libraries are loaded only where they are used (projector: d3, cockpit: SortableJS),
// so phones do not download them.
import { t } from "../live.js";
import { $, commander, h, preserveFocus } from "../view.js";

const SVG_NS = "http://www.w3.org/2000/svg";
const PALETTE_SIZE = 8; // .cluster-c0 … .cluster-c7 in app.css
const REDUCED_MOTION = window.matchMedia("(prefers-reduced-motion: reduce)");

let d3Loading = null;
let sortableLoading = null;

/** d3's UMD bundle defines globalThis.d3. The npm package's ES module builds import their parts by
 *  bare name ("d3-array"), which a browser cannot resolve without an import map (and CSP allows no
 *  inline one), so the one-file bundle is imported for its side effect. */
function loadD3() {
  d3Loading ||= import("../../vendor/d3-7.9.2/d3.min.js").then(() => globalThis.d3);
  return d3Loading;
}

function loadSortable() {
  sortableLoading ||= import("../../vendor/sortablejs-1.15.7/sortable.esm.js").then((m) => m.default);
  return sortableLoading;
}

/** Per-container state that survives re-renders of the same item. */
const STATES = new WeakMap();

function stateOf(container, activity, init) {
  let state = STATES.get(container);
  if (!state || state.itemId !== activity.item_id || !container.firstChild) {
    state?.graph?.destroy();
    state = { itemId: activity.item_id, ...init() };
    STATES.set(container, state);
  }
  return state;
}

function colourClass(index) {
  return `cluster-c${index % PALETTE_SIZE}`;
}

function termLabel(term) {
  return term.count > 1 ? `${term.text} (${term.count})` : term.text;
}

/** cluster id -> its index (colour) and name. */
function clusterIndex(view) {
  return new Map(view.clusters.map((c, i) => [c.id, { index: i, name: c.name }]));
}

function errorText(error) {
  switch (error.code) {
    case "rate_limited": return t("cluster.rate_limited", { n: error.details?.retry_after_s ?? 30 });
    case "activity_closed": return t("cluster.closed");
    case "chains_off": return t("cluster.chains_off");
    case "term_not_found": return t("cluster.parent_gone");
    case "invalid_payload": return t("cluster.invalid");
    default: return t("error", { message: error.message });
  }
}

/** Read-only list of the clusters with their terms (phone; text alternative of the projector). */
function clusterList(view, { withUnsorted = false } = {}) {
  const byId = new Map(view.terms.map((term) => [term.id, term]));
  const items = view.clusters.map((cluster, i) =>
    h("li", { class: `cluster-summary ${colourClass(i)}` },
      h("h4", {}, h("span", { class: "cluster-swatch", "aria-hidden": "true" }), cluster.name),
      h("ul", {}, ...cluster.term_ids.map((id) => byId.get(id)).filter(Boolean).map((term) => h("li", {}, termLabel(term))))));
  if (withUnsorted) {
    const unsorted = view.terms.filter((term) => term.cluster_id === null);
    if (unsorted.length) {
      items.push(h("li", { class: "cluster-summary" }, h("h4", {}, t("cluster.unsorted")),
        h("ul", {}, ...unsorted.map((term) => h("li", {}, termLabel(term))))));
    }
  }
  return items;
}

// --- phone --------------------------------------------------------------------------------------

export function participant(container, activity, data, live) {
  const view = activity.view;
  const state = stateOf(container, activity, () => ({ parentKey: null }));
  // my part (what I typed, whether I host a group and may cluster) comes with a snapshot: ask for
  // one when the chain started while I was connected
  if (data.me && !data.me.activity && state.askedFor !== activity.item_id) {
    state.askedFor = activity.item_id;
    live.resync();
  }
  if (!container.firstChild) {
    const form = h("form", { class: "stack", "data-cluster-form": true },
      h("div", { class: "field" },
        h("label", { for: "cluster-term" }, t("cluster.term_label")),
        h("input", { id: "cluster-term", name: "text", maxlength: 40, required: true, autocomplete: "off",
          "aria-describedby": "cluster-term-hint" }),
        h("p", { class: "hint", id: "cluster-term-hint" }, t("cluster.term_hint"))),
      h("div", { class: "field", "data-cluster-parent-field": true },
        h("label", { for: "cluster-parent" }, t("cluster.parent_label")),
        h("select", { id: "cluster-parent", name: "parent" })),
      h("button", { type: "submit", class: "primary big" }, t("cluster.add")),
      h("p", { class: "feedback", role: "status", "data-cluster-feedback": true }));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const input = form.elements.text;
      const parent = form.elements.parent;
      const feedback = $("[data-cluster-feedback]", form);
      const payload = { text: input.value };
      if (!$("[data-cluster-parent-field]", form).hidden && parent.value) payload.parent_id = Number(parent.value);
      const ack = await live.command("cluster.add_term", payload);
      if (ack.ok) {
        data.me = data.me || {};
        data.me.activity = { ...(data.me.activity || {}), entries: [...(data.me.activity?.entries || []), ack.entry] };
        feedback.textContent = t(ack.merged ? "cluster.added_merged" : "cluster.added", { text: ack.entry.text });
        input.value = "";
        parent.value = "";
        showMine(container, data);
        input.focus();
      } else {
        feedback.textContent = errorText(ack.error);
      }
    });
    container.append(
      h("section", { class: "card activity cluster", "aria-labelledby": "cluster-heading" },
        h("h2", { id: "cluster-heading" }, t("kind.cluster_chain")),
        h("p", { class: "central-term" }, h("span", { class: "subtle" }, `${t("cluster.central")}: `),
          h("strong", { "data-central": true })),
        form,
        h("p", { class: "closed-note", "data-cluster-closed": true, hidden: true }, t("cluster.closed")),
        h("h3", {}, t("cluster.mine")),
        h("ul", { class: "cluster-mine", "data-cluster-mine": true }),
        h("p", { class: "subtle", "data-cluster-mine-empty": true }, t("cluster.none_yet")),
        h("h3", {}, t("cluster.clusters"), " ", h("span", { class: "subtle", "data-cluster-stats": true })),
        h("ul", { class: "cluster-summaries", "data-cluster-list": true }),
        h("p", { class: "subtle", "data-cluster-none": true }, t("cluster.no_clusters"))),
    );
  }
  $("[data-central]", container).textContent = view.central_term;
  const form = $("[data-cluster-form]", container);
  for (const field of form.elements) field.disabled = !view.is_open;
  $("[data-cluster-closed]", container).hidden = view.is_open;
  $("[data-cluster-parent-field]", container).hidden = !view.chains;
  // "reminds me of": the most recent terms first; rebuilt only when they change, so an open list
  // is not disturbed by every new term
  const recent = view.terms.slice(-40).reverse();
  const parentKey = `${view.central_term}|${recent.map((term) => `${term.id}:${term.text}`).join("|")}`;
  if (parentKey !== state.parentKey) {
    state.parentKey = parentKey;
    const select = form.elements.parent;
    const chosen = select.value;
    select.replaceChildren(
      h("option", { value: "" }, t("cluster.parent_none", { term: view.central_term })),
      ...recent.map((term) => h("option", { value: term.id }, term.text)),
    );
    select.value = recent.some((term) => String(term.id) === chosen) ? chosen : "";
  }
  $("[data-cluster-stats]", container).textContent = `(${t("cluster.stats", { terms: view.term_count, entries: view.entry_count })})`;
  $("[data-cluster-list]", container).replaceChildren(...clusterList(view));
  $("[data-cluster-none]", container).hidden = view.clusters.length > 0;
  showMine(container, data);
  hostBoard(container, activity, data, live);
}

/** A group's host (Themenpat*in) shapes the clusters on the phone with the cockpit's board. */
function hostBoard(container, activity, data, live) {
  let board = container.querySelector(":scope > [data-host-board]");
  if (!board) {
    board = h("div", { "data-host-board": true });
    container.append(board);
  }
  const canCluster = Boolean(data.me?.activity?.can_cluster);
  board.hidden = !canCluster;
  if (!canCluster) return;
  cockpit(board, activity, data, live);
  const toggle = $("[data-cluster-toggle]", board);  // opening and closing the input stays with the facilitators
  if (toggle) toggle.hidden = true;
}

function showMine(container, data) {
  const entries = data.me?.activity?.entries || [];
  $("[data-cluster-mine]", container).replaceChildren(...entries.map((entry) => h("li", {}, entry.text)));
  $("[data-cluster-mine-empty]", container).hidden = entries.length > 0;
}

// --- projector ----------------------------------------------------------------------------------

const CENTRE = "centre";
const MIN_VIEW = { width: 760, height: 428 }; // a few terms are not blown up to fill the wall

function fontSize(count) {
  return Math.min(44, 16 + 7 * Math.log2(Math.max(1, count)));
}

function svg(tag, attrs = {}) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, value);
  return el;
}

export function screen(container, activity) {
  const view = activity.view;
  const state = stateOf(container, activity, () => ({ graph: null, view: null }));
  state.view = view;
  if (!container.firstChild) {
    container.append(
      h("section", { class: "activity cluster-screen" },
        h("div", { class: "cluster-graph", "data-cluster-graph": true }),
        h("aside", { class: "cluster-legend-box" },
          h("ul", { class: "cluster-legend", "data-cluster-legend": true }),
          h("p", { class: "count", "data-cluster-stats": true })),
        h("div", { class: "visually-hidden", "data-cluster-text": true })),
    );
    loadD3().then((d3) => {
      if (STATES.get(container) !== state) return; // another item by now
      state.graph = new Graph(d3, $("[data-cluster-graph]", container));
      state.graph.update(state.view);
    });
  }
  const index = clusterIndex(view);
  $("[data-cluster-legend]", container).replaceChildren(
    ...view.clusters.map((cluster) =>
      h("li", { class: colourClass(index.get(cluster.id).index) },
        h("span", { class: "cluster-swatch", "aria-hidden": "true" }), cluster.name,
        h("span", { class: "legend-count" }, ` ${cluster.term_ids.length}`))),
  );
  $("[data-cluster-stats]", container).textContent = t("cluster.stats", { terms: view.term_count, entries: view.entry_count });
  // the text alternative of the graph: clusters with their terms, for screen readers
  $("[data-cluster-text]", container).replaceChildren(
    h("h2", {}, t("cluster.graph_text", { term: view.central_term })),
    h("ul", {}, ...clusterList(view, { withUnsorted: true })),
  );
  if (state.graph) state.graph.update(view);
}

/** Keeps the labels' boxes apart (a circle around a long label wastes the room above and below it,
 *  and with 150 terms the room is what keeps them readable). Overlapping boxes are pushed apart
 *  along the axis where they overlap least. */
function rectCollide(d3, padding) {
  let nodes = [];
  function force() {
    pass();
    pass(); // two passes per tick: a push can make a new overlap, and 150 labels crowd
  }
  function pass() {
    const tree = d3.quadtree(nodes, (node) => node.x, (node) => node.y);
    let maxW = 0;
    let maxH = 0;
    for (const node of nodes) {
      maxW = Math.max(maxW, node.width);
      maxH = Math.max(maxH, node.height);
    }
    for (const a of nodes) {
      const reachX = (a.width + maxW) / 2 + padding;
      const reachY = (a.height + maxH) / 2 + padding;
      tree.visit((quad, x0, y0, x1, y1) => {
        if (!quad.length) {
          for (let leaf = quad; leaf; leaf = leaf.next) {
            const b = leaf.data;
            if (b.index <= a.index) continue;
            const dx = b.x - a.x || (b.index % 2 ? 0.5 : -0.5);
            const dy = b.y - a.y || (b.index % 3 ? 0.5 : -0.5);
            const ox = (a.width + b.width) / 2 + padding - Math.abs(dx);
            const oy = (a.height + b.height) / 2 + padding - Math.abs(dy);
            if (ox <= 0 || oy <= 0) continue;
            // the fixed centre does not move: the other one takes the whole push
            const share = a.fx !== undefined ? [0, 1] : b.fx !== undefined ? [1, 0] : [0.5, 0.5];
            if (ox / (a.width + b.width) < oy / (a.height + b.height)) {
              const push = Math.sign(dx) * ox;
              a.x -= push * share[0]; b.x += push * share[1];
            } else {
              const push = Math.sign(dy) * oy;
              a.y -= push * share[0]; b.y += push * share[1];
            }
          }
        }
        return x0 > a.x + reachX || x1 < a.x - reachX || y0 > a.y + reachY || y1 < a.y - reachY;
      });
    }
  }
  force.initialize = (all) => {
    nodes = all;
  };
  return force;
}

/** The force layout: the central term fixed in the middle, chains as links, clusters pulled to
 *  their own place around the centre and drawn as coloured areas. Nodes are reused by id, so a
 *  term keeps its place when the graph grows. */
class Graph {
  constructor(d3, host) {
    this.d3 = d3;
    this.nodes = new Map();
    this.viewBox = null;
    this.aspect = 16 / 9;
    this.svg = svg("svg", { class: "cluster-svg", "aria-hidden": "true", focusable: "false",
      preserveAspectRatio: "xMidYMid meet" });
    this.hullLayer = svg("g", { class: "hulls" });
    this.linkLayer = svg("g", { class: "links" });
    this.nodeLayer = svg("g", { class: "nodes" });
    this.svg.append(this.hullLayer, this.linkLayer, this.nodeLayer);
    host.append(this.svg);
    // the graph takes the rest of the wall below the title, whatever the projector's size
    this.fitHeight = () => {
      const top = this.svg.getBoundingClientRect().top + window.scrollY;
      this.svg.style.height = `${Math.max(240, Math.floor(window.innerHeight - top - 12))}px`;
    };
    window.addEventListener("resize", this.fitHeight);
    this.simulation = d3.forceSimulation()
      .force("link", d3.forceLink().id((node) => node.id)
        .distance((link) => 24 + (link.source.width + link.target.width) / 4)
        .strength((link) => (link.crossing ? 0.03 : link.source.id === CENTRE ? 0.02 : 0.4)))
      .force("charge", d3.forceManyBody().strength(-50).distanceMax(300))
      .force("collide", rectCollide(d3, 5))
      // clusters gather at their own place around the centre; the rest spreads wider than high (16:9)
      .force("x", d3.forceX((node) => node.anchor.x).strength((node) => (node.clustered ? 0.1 : 0.012)))
      .force("y", d3.forceY((node) => node.anchor.y).strength((node) => (node.clustered ? 0.1 : 0.015 * this.aspect)))
      .alphaDecay(0.03)
      .on("tick", () => this.draw())
      .stop();
  }

  destroy() {
    this.simulation.stop();
    window.removeEventListener("resize", this.fitHeight);
  }

  update(view) {
    const d3 = this.d3;
    this.fitHeight();
    const index = clusterIndex(view);
    // clusters sit on an ellipse around the centre, as wide as the wall is wider than high
    const box = this.svg.getBoundingClientRect();
    this.aspect = box.width > 0 && box.height > 0 ? Math.min(3, Math.max(1, box.width / box.height)) : 16 / 9;
    const anchors = new Map(view.clusters.map((cluster, i) => {
      const angle = (2 * Math.PI * i) / view.clusters.length - Math.PI / 2;
      const radius = 220 + 12 * Math.sqrt(view.terms.length);
      return [cluster.id, { x: Math.cos(angle) * radius * this.aspect, y: Math.sin(angle) * radius }];
    }));
    const seen = new Set([CENTRE]);
    let added = 0;
    let centre = this.nodes.get(CENTRE);
    if (!centre) {
      centre = { id: CENTRE, x: 0, y: 0, fx: 0, fy: 0, anchor: { x: 0, y: 0 } };
      this.nodes.set(CENTRE, centre);
      added += 1;
    }
    Object.assign(centre, { text: view.central_term, count: 1, label: view.central_term, fs: 34, colour: null });
    const byId = new Map(view.terms.map((term) => [term.id, term]));
    for (const term of view.terms) {
      seen.add(term.id);
      let node = this.nodes.get(term.id);
      if (!node) {
        // start next to its parent (or the centre), on a golden-angle spiral so starts differ
        const parent = this.nodes.get(term.parent_id ?? CENTRE) || centre;
        const angle = term.id * 2.39996;
        node = { id: term.id, x: parent.x + Math.cos(angle) * 40, y: parent.y + Math.sin(angle) * 40 };
        this.nodes.set(term.id, node);
        added += 1;
      }
      const cluster = index.get(term.cluster_id);
      Object.assign(node, {
        text: term.text, count: term.count, label: termLabel(term), fs: fontSize(term.count),
        parentId: term.parent_id !== null && byId.has(term.parent_id) ? term.parent_id : CENTRE,
        colour: cluster ? colourClass(cluster.index) : null, clusterId: cluster ? term.cluster_id : null,
        clustered: Boolean(cluster), anchor: anchors.get(term.cluster_id) || { x: 0, y: 0 },
      });
    }
    for (const id of [...this.nodes.keys()]) if (!seen.has(id)) this.nodes.delete(id);
    const nodes = [...this.nodes.values()];

    // DOM: one <g> per node, made once, then updated
    d3.select(this.nodeLayer).selectAll("g.node").data(nodes, (node) => node.id)
      .join((enter) => {
        const g = enter.append("g");
        g.append("text").attr("text-anchor", "middle").attr("dominant-baseline", "central");
        return g;
      })
      .attr("class", (node) => ["node", node.id === CENTRE ? "central" : "", node.colour || ""].join(" ").trim())
      .each(function measure(node) {
        const text = this.firstChild;
        if (text.dataset.label !== node.label || Number(text.getAttribute("font-size")) !== node.fs) {
          text.dataset.label = node.label;
          text.setAttribute("font-size", node.fs);
          text.replaceChildren(node.text);
          if (node.count > 1 && node.id !== CENTRE) {
            const count = document.createElementNS(SVG_NS, "tspan");
            count.setAttribute("class", "term-count");
            count.textContent = ` ${node.count}`;
            text.append(count);
          }
          node.width = text.getComputedTextLength() || node.label.length * node.fs * 0.55;
        }
        node.height = node.fs * 1.2;
      });
    const links = nodes.filter((node) => node.id !== CENTRE).map((node) => ({
      source: node.parentId, target: node.id,
      crossing: node.parentId !== CENTRE && this.nodes.get(node.parentId)?.clusterId !== node.clusterId,
    }));
    d3.select(this.linkLayer).selectAll("line").data(links, (link) => `${link.target}`)
      .join("line").attr("class", (link) => (link.source === CENTRE ? "link to-centre" : "link"));
    this.links = links;
    this.clusters = view.clusters;

    this.simulation.nodes(nodes);
    this.simulation.force("link").links(links);
    this.simulation.force("x").initialize(nodes);
    this.simulation.force("y").initialize(nodes);
    if (REDUCED_MOTION.matches) {
      // no animation: run the layout to rest at once and draw the result
      this.simulation.alpha(added ? 1 : 0.5).stop();
      this.simulation.tick(added ? 300 : 120);
      this.draw(true);
    } else {
      if (added > 20) {
        // many new terms at once (a projector that joins late): settle the rough layout before
        // showing it, then let it come to rest in view
        this.simulation.alpha(1).tick(150);
        this.draw(true);
      } else {
        this.simulation.alpha(Math.max(this.simulation.alpha(), added ? 0.5 : 0.2));
      }
      this.simulation.restart();
    }
  }

  draw(immediately = false) {
    const d3 = this.d3;
    d3.select(this.nodeLayer).selectAll("g.node").attr("transform", (node) => `translate(${node.x.toFixed(1)},${node.y.toFixed(1)})`);
    d3.select(this.linkLayer).selectAll("line")
      .attr("x1", (link) => link.source.x).attr("y1", (link) => link.source.y)
      .attr("x2", (link) => link.target.x).attr("y2", (link) => link.target.y);
    // clusters as coloured areas: the hull around their terms' label boxes
    const nodes = [...this.nodes.values()];
    const hulls = this.clusters.map((cluster, i) => {
      const points = [];
      for (const node of nodes) {
        if (node.clusterId !== cluster.id) continue;
        const w = node.width / 2 + 8;
        const hh = node.fs / 2 + 6;
        points.push([node.x - w, node.y - hh], [node.x + w, node.y - hh], [node.x + w, node.y + hh], [node.x - w, node.y + hh]);
      }
      const hull = points.length ? d3.polygonHull(points) : null;
      return { id: cluster.id, colour: colourClass(i), d: hull ? `M${hull.map((p) => p.map((v) => v.toFixed(1)).join(",")).join("L")}Z` : "" };
    });
    d3.select(this.hullLayer).selectAll("path").data(hulls, (hull) => hull.id).join("path")
      .attr("class", (hull) => `hull ${hull.colour}`).attr("d", (hull) => hull.d);
    this.fit(nodes, immediately);
  }

  /** Zoom so that every term is on the wall (smoothly while the layout moves). */
  fit(nodes, immediately) {
    let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const node of nodes) {
      const w = (node.width || 0) / 2 + 16;
      const hh = node.fs / 2 + 16;
      x0 = Math.min(x0, node.x - w); x1 = Math.max(x1, node.x + w);
      y0 = Math.min(y0, node.y - hh); y1 = Math.max(y1, node.y + hh);
    }
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    const width = Math.max(MIN_VIEW.width, x1 - x0);
    const height = Math.max(MIN_VIEW.height, y1 - y0);
    const target = [cx - width / 2, cy - height / 2, width, height];
    if (!this.viewBox || immediately) this.viewBox = target;
    else this.viewBox = this.viewBox.map((v, i) => v + (target[i] - v) * 0.2);
    this.svg.setAttribute("viewBox", this.viewBox.map((v) => v.toFixed(1)).join(" "));
  }
}

// --- cockpit ------------------------------------------------------------------------------------

export function cockpit(container, activity, data, live) {
  const view = activity.view;
  const state = stateOf(container, activity, () => ({
    terms: new Map(), columns: new Map(), sortables: new Map(), dragging: false, pending: null,
    Sortable: null, termOptionsKey: null,
  }));
  state.container = container;
  const act = commander(live);
  state.act = act;
  if (!container.firstChild) {
    const newCluster = h("form", { class: "cluster-new", "data-new-cluster": true },
      h("label", { for: "cluster-new-name" }, t("cluster.new_cluster")),
      h("input", { id: "cluster-new-name", name: "name", maxlength: 60, required: true, autocomplete: "off" }),
      h("button", { type: "submit" }, t("cluster.create")));
    newCluster.addEventListener("submit", async (event) => {
      event.preventDefault();
      const name = newCluster.elements.name.value;
      const ack = await act("cluster.create", { item_id: state.itemId, name }, t("cluster.created", { name: name.trim() }));
      if (ack.ok) newCluster.elements.name.value = "";
    });
    const mergeTerms = h("form", { class: "cluster-merge-terms", "data-merge-terms": true },
      h("fieldset", {},
        h("legend", {}, t("cluster.merge_terms")),
        h("label", { for: "cluster-merge-source" }, t("cluster.merge_term")),
        h("select", { id: "cluster-merge-source", name: "source" }),
        h("label", { for: "cluster-merge-target" }, t("cluster.merge_term_into")),
        h("select", { id: "cluster-merge-target", name: "target" }),
        h("button", { type: "submit" }, t("cluster.merge"))));
    mergeTerms.addEventListener("submit", async (event) => {
      event.preventDefault();
      const source = Number(mergeTerms.elements.source.value);
      const target = Number(mergeTerms.elements.target.value);
      const texts = state.termTexts || new Map();
      await act("cluster.merge_terms", { term_id: source, into_id: target },
        t("cluster.merged_terms", { text: texts.get(source) ?? "", into: texts.get(target) ?? "" }));
    });
    const unsorted = h("ul", { class: "cluster-terms", "data-cluster-id": "", "aria-labelledby": "cluster-unsorted-heading" });
    container.append(
      h("section", { class: "card activity cluster-cockpit", "aria-labelledby": "cluster-cockpit-heading" },
        h("h2", { id: "cluster-cockpit-heading" }, `${t("kind.cluster_chain")}: `, h("span", { "data-central": true })),
        h("div", { class: "controls" }, h("button", { type: "button", "data-cluster-toggle": true })),
        h("p", { "data-cluster-stats": true }),
        h("p", { class: "subtle", "data-cluster-no-chains": true, hidden: true }, t("cluster.no_chains")),
        h("div", { class: "cluster-tools" }, newCluster, mergeTerms),
        h("p", { class: "hint" }, t("cluster.drag_hint")),
        h("div", { class: "cluster-board", "data-cluster-board": true },
          h("section", { class: "cluster-column unsorted", "data-column": "" },
            h("h3", { id: "cluster-unsorted-heading" }, t("cluster.unsorted"), " ", h("span", { class: "subtle", "data-column-count": true })),
            unsorted))),
    );
    state.columns.set("", $("[data-column='']", container));
    loadSortable().then((Sortable) => {
      if (STATES.get(container) !== state) return;
      state.Sortable = Sortable;
      for (const [key, column] of state.columns) makeSortable(state, key, $("ul", column));
    });
  }
  $("[data-central]", container).textContent = view.central_term;
  const toggle = $("[data-cluster-toggle]", container);
  toggle.textContent = view.is_open ? t("close_input") : t("open_input");
  toggle.onclick = () => act("activity.input.set", { item_id: activity.item_id, is_open: !view.is_open });
  $("[data-cluster-stats]", container).textContent = [
    t("cluster.stats", { terms: view.term_count, entries: view.entry_count }),
    view.hidden_count ? t("hidden_count", { n: view.hidden_count }) : "",
  ].filter(Boolean).join(" · ");
  $("[data-cluster-no-chains]", container).hidden = view.chains;
  updateMergeTerms(container, state, view);
  state.pending = view;
  if (!state.dragging) renderBoard(state);
}

function updateMergeTerms(container, state, view) {
  const sorted = [...view.terms].sort((a, b) => a.text.localeCompare(b.text));
  state.termTexts = new Map(view.terms.map((term) => [term.id, term.text]));
  const key = sorted.map((term) => `${term.id}:${term.count}:${term.text}`).join("|");
  if (key === state.termOptionsKey) return;
  state.termOptionsKey = key;
  const form = $("[data-merge-terms]", container);
  for (const select of [form.elements.source, form.elements.target]) {
    const chosen = select.value;
    select.replaceChildren(...sorted.map((term) => h("option", { value: term.id }, termLabel(term))));
    if (sorted.some((term) => String(term.id) === chosen)) select.value = chosen;
  }
  form.querySelector("button").disabled = sorted.length < 2;
}

function makeSortable(state, key, list) {
  if (!state.Sortable || state.sortables.has(key)) return;
  state.sortables.set(key, state.Sortable.create(list, {
    group: "cluster-terms",
    draggable: "li",
    // the controls inside a term stay usable; only the term itself is dragged
    filter: "select, button, input, option",
    preventOnFilter: false,
    animation: REDUCED_MOTION.matches ? 0 : 150,
    onStart: () => {
      state.dragging = true;
    },
    onEnd: async (event) => {
      const termId = Number(event.item.dataset.termId);
      const target = event.to.dataset.clusterId;
      const moved = event.from !== event.to || event.oldIndex !== event.newIndex;
      if (moved) {
        await state.act("cluster.move_term", {
          term_id: termId, cluster_id: target ? Number(target) : null, position: target ? event.newIndex : null,
        });
      }
      state.dragging = false;
      renderBoard(state); // the server's state wins (the old place, if the move was refused)
    },
  }));
}

function clusterColumn(state, cluster) {
  const act = state.act;
  const rename = h("form", { class: "cluster-rename" },
    h("label", { for: `cluster-name-${cluster.id}`, class: "visually-hidden", "data-rename-label": true }),
    h("input", { id: `cluster-name-${cluster.id}`, name: "name", maxlength: 60, required: true, autocomplete: "off",
      "data-focus-key": `rename-${cluster.id}` }),
    h("button", { type: "submit", class: "small", "data-focus-key": `rename-btn-${cluster.id}` }, t("cluster.rename")));
  rename.addEventListener("submit", (event) => {
    event.preventDefault();
    act("cluster.rename", { cluster_id: cluster.id, name: rename.elements.name.value }, t("saved"));
  });
  const merge = h("form", { class: "cluster-merge" },
    h("label", { for: `cluster-merge-${cluster.id}` }, t("cluster.merge_into")),
    h("select", { id: `cluster-merge-${cluster.id}`, name: "into", "data-focus-key": `merge-${cluster.id}` }),
    h("button", { type: "submit", class: "small", "data-focus-key": `merge-btn-${cluster.id}` }, t("cluster.merge")));
  merge.addEventListener("submit", (event) => {
    event.preventDefault();
    act("cluster.merge", { cluster_id: cluster.id, into_id: Number(merge.elements.into.value) });
  });
  return h("section", { class: "cluster-column", "data-column": cluster.id },
    h("h3", {}, h("span", { class: "cluster-swatch", "aria-hidden": "true" }), h("span", { "data-column-name": true }), " ",
      h("span", { class: "subtle", "data-column-count": true })),
    rename,
    h("div", { class: "controls" },
      h("button", { type: "button", class: "small", "data-focus-key": `delete-${cluster.id}`,
        onclick: () => act("cluster.delete", { cluster_id: cluster.id }, t("cluster.deleted")) }, t("cluster.delete"))),
    merge,
    h("ul", { class: "cluster-terms", "data-cluster-id": cluster.id }));
}

function termItem(state, term) {
  const li = h("li", { class: "cluster-term", "data-term-id": term.id },
    h("span", { class: "term-text" }),
    h("span", { class: "badge", "data-hidden-badge": true, hidden: true }, t("hidden")),
    h("span", { class: "term-controls" },
      h("select", { class: "move", "data-focus-key": `move-${term.id}` }),
      h("button", { type: "button", class: "small", "data-focus-key": `hide-${term.id}` })));
  const select = $("select", li);
  select.addEventListener("change", async () => {
    const target = select.value ? Number(select.value) : null;
    const name = select.selectedOptions[0]?.textContent || "";
    await state.act("cluster.move_term", { term_id: term.id, cluster_id: target },
      t("cluster.moved", { text: li.term.text, name }));
  });
  $("button", li).addEventListener("click", () =>
    state.act("cluster.hide_term", { term_id: term.id, is_hidden: !li.term.is_hidden }));
  return li;
}

function renderBoard(state) {
  const view = state.pending;
  const board = view && $("[data-cluster-board]", state.container);
  if (!board) return;
  preserveFocus(board, () => {
    const index = clusterIndex(view);
    // columns: one per cluster, in order, after the unsorted pool
    const wanted = new Set(view.clusters.map((c) => String(c.id)));
    for (const [key, column] of state.columns) {
      if (key !== "" && !wanted.has(key)) {
        state.sortables.get(key)?.destroy();
        state.sortables.delete(key);
        column.remove();
        state.columns.delete(key);
      }
    }
    const optionsKey = view.clusters.map((c) => `${c.id}:${c.name}`).join("|");
    view.clusters.forEach((cluster, i) => {
      const key = String(cluster.id);
      let column = state.columns.get(key);
      if (!column) {
        column = clusterColumn(state, cluster);
        state.columns.set(key, column);
        makeSortable(state, key, $("ul", column));
      }
      column.className = `cluster-column ${colourClass(i)}`;
      $("[data-column-name]", column).textContent = cluster.name;
      $("[data-rename-label]", column).textContent = t("cluster.name_of", { n: cluster.name });
      const input = $("input[name=name]", column);
      if (document.activeElement !== input) input.value = cluster.name;
      const merge = $("select[name=into]", column);
      if (merge.dataset.key !== optionsKey) {
        merge.dataset.key = optionsKey;
        const chosen = merge.value;
        const others = view.clusters.filter((other) => other.id !== cluster.id);
        merge.replaceChildren(...others.map((other) => h("option", { value: other.id }, other.name)));
        if (others.some((other) => String(other.id) === chosen)) merge.value = chosen;
        merge.disabled = others.length === 0;
        $("button", merge.form).disabled = others.length === 0;
      }
      if (board.children[i + 1] !== column) board.insertBefore(column, board.children[i + 1] || null);
    });

    // terms: one <li> per term, reused; each list gets its terms in the server's order
    const seen = new Set();
    for (const term of view.terms) {
      seen.add(term.id);
      let li = state.terms.get(term.id);
      if (!li) {
        li = termItem(state, term);
        state.terms.set(term.id, li);
      }
      li.term = term;
      li.classList.toggle("is-hidden", Boolean(term.is_hidden));
      $(".term-text", li).textContent = termLabel(term);
      $("[data-hidden-badge]", li).hidden = !term.is_hidden;
      const hide = $("button", li);
      hide.replaceChildren(term.is_hidden ? t("show") : t("hide"), h("span", { class: "visually-hidden" }, `: ${term.text}`));
      const select = $("select", li);
      if (select.dataset.key !== optionsKey) {
        select.dataset.key = optionsKey;
        select.replaceChildren(h("option", { value: "" }, t("cluster.unsorted")),
          ...view.clusters.map((cluster) => h("option", { value: cluster.id }, cluster.name)));
      }
      select.value = term.cluster_id === null ? "" : String(term.cluster_id);
      select.setAttribute("aria-label", t("cluster.move_to", { text: term.text }));
    }
    for (const [id, li] of state.terms) {
      if (!seen.has(id)) {
        li.remove();
        state.terms.delete(id);
      }
    }
    const byId = new Map(view.terms.map((term) => [term.id, term]));
    const lists = [["", view.terms.filter((term) => term.cluster_id === null || !index.has(term.cluster_id)).map((term) => term.id)],
      ...view.clusters.map((cluster) => [String(cluster.id), cluster.term_ids])];
    for (const [key, ids] of lists) {
      const column = state.columns.get(key);
      const list = $("ul", column);
      const lis = ids.filter((id) => byId.has(id)).map((id) => state.terms.get(id));
      const same = lis.length === list.children.length && lis.every((li, n) => list.children[n] === li);
      if (!same) list.replaceChildren(...lis);
      $("[data-column-count]", column).textContent = `(${lis.length})`;
    }
  });
}
