// The setup page: edit the day's start, the agenda items and their order, the theme groups with
// their draft goals, prepare polls.
// Items are patched in place on every workshop.state, never rebuilt while someone edits them:
// a field the user has changed (data-touched) or that has focus keeps what is typed in it.
// Drag and drop (SortableJS) is an extra for pointer users; the Move up/down buttons do the same.
import Sortable from "../vendor/sortablejs-1.15.7/sortable.esm.js";
import { choiceHint, pollEditor, stateBadge } from "./activities/poll.js";
import { connectLive, strings, t } from "./live.js";
import { $, $$, absolute, announce, clock, copyText, h, kindLabel, minutes, preserveFocus, showConnection } from "./view.js";

const main = $("#main");
const list = $("[data-items]");
const dayForm = $("[data-day-form]");
const addForm = $("[data-add-form]");
const dayHint = $("[data-day-hint]");
const defaultDayHint = dayHint.textContent;
const emptyNote = h("p", { class: "hint setup-empty", hidden: true }, t("setup.no_items"));
list.after(emptyNote);
list.before(h("p", { class: "hint setup-pinned-hint" }, h("strong", {}, `${t("setup.pinned_at")}: `), t("setup.pinned_hint")));

let latest = null; // the newest data from the server
let dragging = false; // while an item is dragged (and its reorder is on its way), the list is not redrawn

const KINDS = Object.keys(strings)
  .filter((key) => key.startsWith("kind."))
  .map((key) => key.slice(5))
  .sort((a, b) => kindLabel(a).localeCompare(kindLabel(b)));

const optional = (value) => (value === "" ? null : value);
const integer = (value) => (value.trim() === "" ? null : Number(value));

/**
 * The editable fields of an item: `value(item)` is what the form shows for the server's item,
 * `wire(text)` what is sent for a form value.
 */
const FIELDS = [
  { name: "title", control: "input", attrs: { type: "text", maxlength: 120, required: true },
    value: (i) => i.title, wire: (v) => v.trim() },
  { name: "kind", control: "select", value: (i) => i.kind, wire: (v) => v },
  { name: "duration", control: "input", attrs: { type: "number", inputmode: "numeric", min: 1, max: 600, step: 1, required: true },
    value: (i) => String(minutes(i.duration_s)), wire: integer },
  { name: "min_duration", control: "input", attrs: { type: "number", inputmode: "numeric", min: 1, max: 600, step: 1 },
    value: (i) => (i.min_duration_s ? String(minutes(i.min_duration_s)) : ""), wire: integer },
  { name: "pinned_at", control: "input", attrs: { type: "time" }, hint: "setup.pinned_hint",
    value: (i) => i.pinned_at || "", wire: optional },
  { name: "description", control: "textarea", attrs: { rows: 3, maxlength: 2000 },
    value: (i) => i.description || "", wire: (v) => v },
  { name: "notes", control: "textarea", attrs: { rows: 3, maxlength: 5000 },
    value: (i) => i.notes || "", wire: (v) => v },
];
const FIELD = Object.fromEntries(FIELDS.map((f) => [f.name, f]));
/** Refusals of the server that belong to one field. */
const ERROR_FIELDS = { duration_too_short: "duration", item_finished: "duration" };

const live = connectLive({ workshop: main.dataset.workshop, view: "cockpit", onChange: render, onStatus: showConnection });

function kindOptions(selected) {
  const kinds = KINDS.includes(selected) || !selected ? KINDS : [...KINDS, selected];
  return kinds.map((kind) => h("option", { value: kind, selected: kind === selected }, kindLabel(kind)));
}

const isEditable = (item, workshop) => item.status === "pending" && workshop.state !== "ended";

// --- one item --------------------------------------------------------------------------------

function fieldControl(item, field) {
  const id = `item-${item.id}-${field.name}`;
  const describedBy = [field.hint && `${id}-hint`, `${id}-error`].filter(Boolean).join(" ");
  const attrs = { id, name: field.name, "data-field": field.name, "data-focus-key": id, "aria-describedby": describedBy, ...field.attrs };
  const control = field.control === "select" ? h("select", attrs, kindOptions(item.kind)) : h(field.control, attrs);
  control.value = field.value(item);
  return h("div", { class: `field field-${field.name}` },
    h("label", { for: id }, t(`setup.${field.name}`)),
    control,
    h("div", { class: "field-notes" },
      // the hint is shown once above the list; here it is only read out with the field
      field.hint ? h("p", { class: "visually-hidden", id: `${id}-hint` }, t(field.hint)) : null,
      h("p", { class: "error", id: `${id}-error`, "data-error-for": field.name })),
  );
}

function heading(item) {
  return h("h3", { id: `item-${item.id}-heading`, class: "setup-item-heading" },
    h("span", { class: "setup-time" },
      h("span", { class: "visually-hidden" }, `${t("setup.planned_start")} `),
      h("span", { "data-planned": true })),
    " ",
    h("span", { class: "setup-item-title", "data-heading-title": true }),
    " ",
    h("span", { class: "kind", "data-kind-label": true }));
}

/** A title suffix for buttons ("Move up" → "Move up: Begrüßung") that only screen readers hear. */
const titleSuffix = () => h("span", { class: "visually-hidden", "data-title-suffix": true });

function editableElement(item) {
  const pfx = `item-${item.id}`;
  const grouped = (names) => FIELDS.filter((f) => names.includes(f.name)).map((f) => fieldControl(item, f));
  return h("li", { class: "setup-item", "data-item-id": item.id, "data-editable": "true" },
    h("form", { class: "setup-item-form", novalidate: true, "aria-labelledby": `${pfx}-heading` },
      h("div", { class: "setup-item-head" },
        h("span", { class: "setup-drag", "data-drag-handle": true, "aria-hidden": "true" }, "⠿"),
        heading(item), h("p", { class: "setup-projected", "data-projected": true })),
      h("div", { class: "setup-fields" }, grouped(["title", "kind", "duration", "min_duration", "pinned_at"])),
      h("div", { class: "setup-fields setup-texts" }, grouped(["description", "notes"])),
      h("p", { class: "error", id: `${pfx}-error`, "data-item-error": true }),
      h("div", { class: "setup-item-actions" },
        h("button", { type: "submit", class: "primary", "data-focus-key": `${pfx}-save`, "aria-describedby": `${pfx}-error ${pfx}-state` },
          t("setup.save"), titleSuffix()),
        h("span", { class: "setup-item-state", id: `${pfx}-state`, "data-item-state": true }),
        h("span", { class: "setup-move" },
          h("button", { type: "button", "data-move": "-1", "data-focus-key": `${pfx}-up` },
            h("span", { "aria-hidden": "true" }, "↑ "), t("setup.move_up"), titleSuffix()),
          h("button", { type: "button", "data-move": "1", "data-focus-key": `${pfx}-down` },
            h("span", { "aria-hidden": "true" }, "↓ "), t("setup.move_down"), titleSuffix())),
        h("button", { type: "button", class: "danger", "data-remove": true, "data-focus-key": `${pfx}-remove` },
          t("setup.remove"), titleSuffix()),
      ),
    ),
  );
}

function readonlyElement(item) {
  return h("li", { class: `setup-item is-readonly status-${item.status}`, "data-item-id": item.id, "data-editable": "false" },
    h("div", { class: "setup-item-head" }, heading(item), h("p", { class: "setup-projected", "data-projected": true })),
    h("p", { class: "setup-readonly-meta" },
      `${minutes(item.duration_s)} ${t("min")} · ${t(`status.${item.status}`)}`,
      item.pinned_at ? ` · ${t("setup.pinned_at")} ${item.pinned_at}` : ""),
    item.description ? h("p", { class: "setup-readonly-text" }, item.description) : null,
    h("p", { class: "hint" }, t("setup.read_only")),
  );
}

const controlOf = (li, name) => $(`[data-field="${name}"]`, li);
const isTouched = (control) => control.dataset.touched === "true";

/** The fields the user changed that differ from the server's item, as the wire wants them. */
function changes(li) {
  const out = {};
  for (const field of FIELDS) {
    const control = controlOf(li, field.name);
    if (isTouched(control) && control.value !== field.value(li.item)) out[field.name] = field.wire(control.value);
  }
  return out;
}

function markDirty(li) {
  const dirty = Object.keys(changes(li)).length > 0;
  li.classList.toggle("is-dirty", dirty);
  const state = $("[data-item-state]", li);
  if (dirty) state.textContent = t("setup.unsaved");
  else if (state.textContent === t("setup.unsaved")) state.textContent = "";
}

/** Bring an item's element up to date without touching what the user is editing. */
function update(li, item, index, agenda, workshop) {
  li.item = item;
  const tz = agenda.timezone;
  $("[data-planned]", li).textContent = clock(item.planned_start, tz);
  $("[data-heading-title]", li).textContent = item.title;
  $("[data-kind-label]", li).textContent = kindLabel(item.kind);
  const projected = $("[data-projected]", li);
  if (li.dataset.editable !== "true") {
    // what happened instead of a projection: "actual 09:32–09:45"
    const ran = [item.started_at, item.ended_at].filter(Boolean).map((at) => clock(at, tz)).join("–");
    projected.textContent = ran ? `${t("actual")} ${ran}` : "";
    projected.classList.add("is-actual");
    return;
  }
  const shifted = Math.abs(Date.parse(item.projected_start) - Date.parse(item.planned_start)) >= 60000;
  projected.textContent = workshop.state === "running" && shifted
    ? t("setup.projected_start", { time: clock(item.projected_start, tz) }) : "";

  for (const suffix of $$("[data-title-suffix]", li)) suffix.textContent = `: ${item.title}`;
  const before = agenda.items[index - 1];
  $('[data-move="-1"]', li).disabled = !before || before.status !== "pending";
  $('[data-move="1"]', li).disabled = index === agenda.items.length - 1;
  for (const field of FIELDS) {
    const control = controlOf(li, field.name);
    const server = field.value(item);
    if (control === document.activeElement) continue;
    if (isTouched(control) && control.value !== server) continue; // unsaved: keep it
    if (control.value !== server) control.value = server;
    delete control.dataset.touched;
  }
  markDirty(li);
}

// --- rendering -------------------------------------------------------------------------------

function render(data, reason) {
  latest = data;
  renderDay(data.agenda, data.workshop);
  if (!dragging) renderItems(data.agenda, data.workshop);
  renderAddForm(data.agenda, data.workshop);
  // later events are followed below (live.js does not keep `polls` and `groups` from workshop.state)
  if (reason === "snapshot" && data.polls) setAllPolls(data.polls);
  renderPolls();
  if (reason === "snapshot" && data.groups) renderGroups(data.groups);
}

function renderItems(agenda, workshop) {
  const existing = new Map($$(":scope > li[data-item-id]", list).map((li) => [Number(li.dataset.itemId), li]));
  const active = document.activeElement;
  const focusKey = active && list.contains(active) ? active.dataset.focusKey : null;
  preserveFocus(list, () => {
    const wanted = agenda.items.map((item, index) => {
      const editable = isEditable(item, workshop);
      let li = existing.get(item.id);
      // read-only items hold nothing that could be lost; editable ones are only patched
      if (!li || !editable || li.dataset.editable !== "true") li = editable ? editableElement(item) : readonlyElement(item);
      update(li, item, index, agenda, workshop);
      return li;
    });
    const keep = new Set(wanted);
    for (const li of existing.values()) if (!keep.has(li)) li.remove();
    // move only what is out of place, so a focused field is not detached without need
    wanted.forEach((li, index) => {
      if (list.children[index] !== li) list.insertBefore(li, list.children[index] || null);
    });
  });
  // a move button that became disabled (top or bottom reached) hands focus to its sibling
  if (focusKey && !list.contains(document.activeElement)) {
    const gone = list.querySelector(`[data-focus-key="${CSS.escape(focusKey)}"]`);
    const item = gone?.closest("li");
    if (item) $$("button:not(:disabled)", item).find((b) => b.dataset.move)?.focus();
  }
  emptyNote.hidden = agenda.items.length > 0;
}

function renderDay(agenda, workshop) {
  const started = workshop.state !== "planned";
  const { starts_at: startInput, date: dateInput } = dayForm.elements;
  for (const control of [startInput, dateInput, $("[data-day-save]", dayForm)]) control.disabled = started;
  dayHint.textContent = started ? t("setup.day_started") : defaultDayHint;
  dayForm.classList.toggle("is-locked", started);
  const server = { starts_at: agenda.day_starts_at || "", date: workshop.date || "" };
  for (const control of [startInput, dateInput]) {
    if (control === document.activeElement || (isTouched(control) && !started)) continue;
    control.value = server[control.name];
    delete control.dataset.touched;
  }
}

function renderAddForm(agenda, workshop) {
  const ended = workshop.state === "ended";
  for (const control of addForm.elements) control.disabled = ended;
  const select = $("[data-position-select]", addForm);
  const options = [["", t("setup.position_end")]].concat(
    agenda.items
      .map((item, index) => [String(index), t("setup.position_before", { title: item.title }), item])
      .filter(([, , item]) => item.status === "pending"),
  );
  const signature = JSON.stringify(options.map(([value, label]) => [value, label]));
  if (select.dataset.signature === signature) return;
  const chosenId = select.selectedOptions[0]?.dataset.before;
  select.replaceChildren(...options.map(([value, label, item]) =>
    h("option", { value, "data-before": item?.id, selected: item && String(item.id) === chosenId }, label)));
  select.dataset.signature = signature;
}

// --- errors ----------------------------------------------------------------------------------

function clearErrors(root) {
  for (const el of $$(".error", root)) el.textContent = "";
  for (const el of $$("[aria-invalid]", root)) el.removeAttribute("aria-invalid");
}

/**
 * Show a refusal next to the field it concerns (pydantic details or a known code), else in
 * `general`; focus the first invalid field so that its label and error are read out.
 * `describe(name, message)` gives the text shown next to a field (default: the server's).
 */
function showError(root, error, general, describe = (name, message) => message) {
  const fields = (error.details?.fields || [])
    .map((f) => ({ name: f.field, message: f.message }))
    .filter((f) => $(`[data-field="${f.name}"]`, root));
  if (!fields.length && ERROR_FIELDS[error.code] && $(`[data-field="${ERROR_FIELDS[error.code]}"]`, root)) {
    fields.push({ name: ERROR_FIELDS[error.code], message: error.message });
  }
  if (!fields.length) {
    general.textContent = t("error", { message: error.message });
    if (general.getAttribute("role") !== "alert") announce(general.textContent); // an alert is read out anyway
    return;
  }
  for (const f of fields) {
    const control = $(`[data-field="${f.name}"]`, root);
    control.setAttribute("aria-invalid", "true");
    // next to its field the message needs no "That did not work:" in front (aria-invalid says it)
    $(`[data-error-for="${f.name}"]`, root).textContent = describe(f.name, f.message);
  }
  $(`[data-field="${fields[0].name}"]`, root).focus();
}

// --- item actions ----------------------------------------------------------------------------

list.addEventListener("input", (event) => {
  const control = event.target.closest("[data-field]");
  const li = event.target.closest("li[data-item-id]");
  if (!control || !li) return;
  control.dataset.touched = "true";
  control.removeAttribute("aria-invalid");
  const error = $(`[data-error-for="${control.dataset.field}"]`, li);
  if (error) error.textContent = "";
  markDirty(li);
});

list.addEventListener("submit", async (event) => {
  event.preventDefault();
  const li = event.target.closest("li[data-item-id]");
  const payload = changes(li);
  const state = $("[data-item-state]", li);
  if (!Object.keys(payload).length) {
    state.textContent = t("setup.nothing_to_save");
    announce(state.textContent);
    return;
  }
  clearErrors(li);
  const ack = await live.command("agenda.item.update", { item_id: li.item.id, ...payload });
  if (!ack.ok) {
    showError(li, ack.error, $("[data-item-error]", li));
    return;
  }
  for (const [name, sent] of Object.entries(payload)) {
    const control = controlOf(li, name);
    delete control.dataset.touched;
    // the new state may already be here: then show the server's form of the value ("010" → "10")
    const field = FIELD[name];
    if (field.wire(field.value(li.item)) === sent) control.value = field.value(li.item);
  }
  markDirty(li);
  state.textContent = t("saved");
  announce(t("saved"));
});

list.addEventListener("click", async (event) => {
  const button = event.target.closest("button[type=button]");
  const li = event.target.closest("li[data-item-id]");
  if (!button || !li) return;
  if (button.dataset.move) await move(li, Number(button.dataset.move), button);
  else if (button.hasAttribute("data-remove")) await remove(li);
});

async function move(li, delta, button) {
  const items = latest.agenda.items;
  const ids = items.map((i) => i.id);
  const from = ids.indexOf(li.item.id);
  const to = from + delta;
  if (from < 0 || to < 0 || to >= ids.length || items[to].status !== "pending") return;
  [ids[from], ids[to]] = [ids[to], ids[from]];
  $("[data-item-error]", li).textContent = "";
  const ack = await live.command("agenda.reorder", { item_ids: ids });
  if (!ack.ok) {
    showError(li, ack.error, $("[data-item-error]", li));
    return;
  }
  if (!li.contains(document.activeElement)) (button.disabled ? $$("[data-move]", li).find((b) => !b.disabled) : button)?.focus();
  announce(t("setup.moved", { title: li.item.title, n: to + 1, total: ids.length }));
}

Sortable.create(list, {
  handle: "[data-drag-handle]",
  draggable: 'li[data-editable="true"]',
  animation: 150,
  // items that ran keep their place: nothing can be dropped among them
  onMove: (event) => event.related.dataset.editable === "true",
  onStart: () => {
    dragging = true;
  },
  onEnd: async (event) => {
    const li = event.item;
    if (event.oldIndex === event.newIndex) {
      dragging = false;
      return;
    }
    const ids = $$(":scope > li[data-item-id]", list).map((el) => Number(el.dataset.itemId));
    $("[data-item-error]", li).textContent = "";
    const ack = await live.command("agenda.reorder", { item_ids: ids });
    dragging = false;
    renderItems(latest.agenda, latest.workshop); // the server's order (the old one, if refused)
    if (!ack.ok) showError(li, ack.error, $("[data-item-error]", li));
    else announce(t("setup.moved", { title: li.item.title, n: ids.indexOf(li.item.id) + 1, total: ids.length }));
  },
});

const removeDialog = $("[data-remove-dialog]");

/** Ask `question` in a modal dialog (Cancel has the initial focus); resolves true for "Remove". */
function confirmRemove(question) {
  $("[data-remove-question]", removeDialog).textContent = question;
  removeDialog.returnValue = "";
  return new Promise((resolve) => {
    removeDialog.addEventListener("close", () => resolve(removeDialog.returnValue === "remove"), { once: true });
    removeDialog.showModal();
  });
}

async function remove(li) {
  const { id, title } = li.item;
  if (!(await confirmRemove(t("setup.confirm_remove", { title })))) return;
  const neighbour = li.nextElementSibling || li.previousElementSibling;
  const ack = await live.command("agenda.item.remove", { item_id: id });
  if (!ack.ok) {
    showError(li, ack.error, $("[data-item-error]", li));
    return;
  }
  announce(t("setup.removed", { title }));
  const next = neighbour && list.contains(neighbour) ? $("[data-field=title]", neighbour) : null;
  (next || $("#items-heading")).focus();
}

// --- what live.js leaves out ------------------------------------------------------------------
// live.js keeps only workshop, agenda and the current item's activity of a workshop.state, and
// only the current item's activity.state. Facilitators' events carry more that this page shows
// (`polls`, `groups`), so it listens to those events itself — after live.js, which has then
// taken the event's sequence number if it applied the event (a gap makes it resync: a snapshot
// with everything follows and goes through render()).

const applied = (envelope) => envelope.seq === live.state.seq && envelope.data;

/** Follow a field of workshop.state that live.js drops: `apply(value)` after each applied event. */
function followStateField(field, apply) {
  live.socket.on("workshop.state", (envelope) => {
    if (!applied(envelope) || envelope.data[field] == null) return;
    live.state.data[field] = envelope.data[field]; // a later render() sees the newest value
    apply(envelope.data[field]);
  });
}

// --- polls -----------------------------------------------------------------------------------
// Facilitators get every poll of the workshop as `polls` (snapshot and each workshop.state); an
// activity.state of any item brings that item's polls.
// Prepared polls (drafts) are edited in the one editor below the list (the cockpit's editor);
// opened ones are only shown.

const pollGroups = $("[data-poll-groups]");
const pollStore = new Map(); // poll id -> the facilitator's view of the poll, with item_id

const editor = pollEditor(live, {
  idPrefix: "setup-poll",
  withItem: true,
  // no item shows the poll: no event tells about the change, so fetch the state
  onSaved: ({ itemId }) => itemId === null && live.resync(),
});
$("[data-poll-editor-slot]").append(editor);

function setAllPolls(polls) {
  pollStore.clear();
  for (const poll of polls) pollStore.set(poll.id, poll);
}

/** The polls an activity view shows (a poll item's own, or those of an item of another kind). */
function pollsOfActivity(activity) {
  if (activity.kind === "poll") return activity.view?.polls || [];
  return activity.polls?.polls || [];
}

function setItemPolls(itemId, polls) {
  const ids = new Set(polls.map((p) => p.id));
  // a poll moved to this item leaves its old one (whose event may carry nothing for us)
  for (const [id, poll] of pollStore) if (poll.item_id === itemId || ids.has(id)) pollStore.delete(id);
  for (const poll of polls) pollStore.set(poll.id, { ...poll, item_id: itemId });
}

followStateField("polls", (polls) => {
  setAllPolls(polls);
  renderPolls();
});
live.socket.on("activity.state", (envelope) => {
  if (!applied(envelope) || !latest) return;
  setItemPolls(envelope.data.item_id, pollsOfActivity(envelope.data));
  renderPolls();
});

function pollFacts(poll) {
  const facts = [t(`poll.kind.${poll.kind}`)];
  if (poll.kind === "multiple_choice" || poll.kind === "scale") facts.push(choiceHint(poll));
  facts.push(poll.is_anonymous ? t("anonymous") : t("setup.poll_named"));
  facts.push(poll.is_live_results ? t("poll.live") : t("poll.results_later"));
  return h("ul", { class: "setup-poll-facts" }, ...facts.map((fact) => h("li", {}, fact)));
}

function pollChoices(poll) {
  const rows = [...poll.options];
  if (poll.allow_other) rows.push(`${t("poll.other")}: …`);
  if (poll.kind === "scale" && poll.scale_labels.length) rows.push(...poll.scale_labels);
  if (!rows.length) return null;
  return h(poll.kind === "ranking" ? "ol" : "ul", { class: "setup-poll-options" }, ...rows.map((row) => h("li", {}, row)));
}

function pollElement(poll) {
  const key = `setup-poll-${poll.id}`;
  const draft = poll.state === "draft";
  return h("li", { class: `poll-item setup-poll${draft ? "" : " is-readonly"}`, "data-poll-id": poll.id },
    h("p", { class: "setup-poll-head" },
      h("span", { class: "poll-item-question" }, poll.question), " ", stateBadge(poll)),
    pollFacts(poll),
    pollChoices(poll),
    draft
      ? h("div", { class: "controls" },
        h("button", { type: "button", "data-poll-edit": poll.id, "data-focus-key": `${key}-edit` },
          t("poll.edit"), h("span", { class: "visually-hidden" }, `: ${poll.question}`)))
      : h("p", { class: "hint" }, t("setup.poll_locked")));
}

function pollGroup(heading, polls, key) {
  return h("section", { class: "setup-poll-group", "aria-labelledby": `${key}-heading`, "data-poll-group": key },
    h("h3", { id: `${key}-heading` }, heading),
    h("ul", { class: "poll-list" }, ...polls.map(pollElement)));
}

function renderPolls() {
  if (!latest) return;
  const { agenda } = latest;
  const tz = agenda.timezone;
  const byItem = new Map();
  for (const poll of pollStore.values()) {
    if (!byItem.has(poll.item_id)) byItem.set(poll.item_id, []);
    byItem.get(poll.item_id).push(poll);
  }
  const groups = agenda.items.filter((item) => byItem.has(item.id)).map((item) => {
    const status = item.status === "pending" ? "" : ` (${t(`status.${item.status}`)})`;
    return pollGroup(`${clock(item.planned_start, tz)} ${item.title}${status}`, byItem.get(item.id), `poll-group-${item.id}`);
  });
  const known = new Set(agenda.items.map((item) => item.id));
  const loose = [...byItem].filter(([itemId]) => !known.has(itemId)).flatMap(([, polls]) => polls);
  if (loose.length) groups.push(pollGroup(t("poll.no_item"), loose, "poll-group-none"));
  preserveFocus(pollGroups, () => pollGroups.replaceChildren(
    ...(groups.length ? groups : [h("p", { class: "hint", "data-polls-none": true }, t("setup.polls_none"))])));
  editor.setItems(agenda.items.map((item) => ({ id: item.id, label: `${clock(item.planned_start, tz)} ${item.title}` })));
}

pollGroups.addEventListener("click", (event) => {
  const button = event.target.closest("[data-poll-edit]");
  const poll = button && pollStore.get(Number(button.dataset.pollEdit));
  if (poll) editor.edit(poll, poll.item_id ?? null);
});

// --- theme groups ----------------------------------------------------------------------------
// Facilitators get every theme group with its draft goals as `groups` (snapshot and each
// workshop.state: every group intent publishes one). Groups and goals are elements patched in
// place, never rebuilt: an open edit form keeps what is typed in it, fields nobody is editing
// follow the server (like the agenda items). One list of fields makes the "add" form and each
// group's edit form. Refusals go next to the field they name (role=alert, aria-invalid).

const groupSection = $("[data-setup-groups]");
const groupList = $("[data-group-list]");
const groupsNone = h("p", { class: "hint", "data-groups-none": true, hidden: true }, t("setup.groups_none"));
groupList.after(groupsNone);

const orNull = (value) => optional(value.trim());
const GROUP_FIELDS = [
  { name: "name", control: "input", required: true, attrs: { type: "text", maxlength: 80, autocomplete: "off" },
    wire: (v) => v.trim() },
  { name: "capacity", control: "input", required: true,
    attrs: { type: "number", inputmode: "numeric", min: 1, max: 1000, step: 1 }, wire: integer },
  { name: "host_name", control: "input", attrs: { type: "text", maxlength: 120, autocomplete: "off" }, wire: orNull },
  { name: "room_url", control: "input", hint: "setup.group_room_url_hint",
    attrs: { type: "url", inputmode: "url", maxlength: 500, autocomplete: "off", spellcheck: "false" }, wire: orNull },
  { name: "description", control: "textarea", attrs: { rows: 3, maxlength: 20000 }, wire: orNull },
];
const NEW_GROUP = { capacity: 20 };
const groupValue = (group, name) => (group[name] === null || group[name] === undefined ? "" : String(group[name]));

/** What a field's refusal says next to it: our own words where the server's are a validator's. */
const PROBLEMS = {
  name: "setup.group_problem_name", capacity: "setup.group_problem_capacity", host_name: "setup.group_problem_host_name",
  room_url: "setup.group_problem_room_url", text: "setup.goal_problem_text",
};
const problemText = (name, message) => (PROBLEMS[name] ? t(PROBLEMS[name]) : message);

/** A refusal found before asking the server (a required field is empty), shaped like the server's. */
function emptyRequired(form, names) {
  const name = names.find((n) => $(`[data-field="${n}"]`, form).value.trim() === "");
  return name ? { code: "invalid_payload", message: "", details: { fields: [{ field: name, message: "" }] } } : null;
}

function groupField(prefix, field, group) {
  const id = `${prefix}-${field.name}`;
  const describedBy = [field.hint && `${id}-hint`, `${id}-error`].filter(Boolean).join(" ");
  const control = h(field.control, { id, name: field.name, "data-field": field.name, "aria-describedby": describedBy,
    required: field.required, ...field.attrs });
  control.value = groupValue(group, field.name);
  return h("div", { class: `field field-${field.name}` },
    h("label", { for: id }, t(`setup.group_${field.name}`)),
    control,
    field.hint ? h("p", { class: "hint", id: `${id}-hint` }, t(field.hint)) : null,
    h("p", { class: "error", id: `${id}-error`, role: "alert", "data-error-for": field.name }));
}

function goalTextField(id, label, value = "") {
  const control = h("textarea", { id, name: "text", "data-field": "text", rows: 2, maxlength: 300, required: true,
    "aria-describedby": `${id}-error` });
  control.value = value;
  return h("div", { class: "field field-text" },
    h("label", { for: id }, label),
    control,
    h("p", { class: "error", id: `${id}-error`, role: "alert", "data-error-for": "text" }));
}

const formActions = (...children) => h("div", { class: "setup-group-form-actions" }, ...children);
/** A suffix for buttons ("Reword" → "Reword: Grünflächen …") that only screen readers hear. */
const goalSuffix = () => h("span", { class: "visually-hidden", "data-goal-suffix": true });

const addGroupForm = h("form", { class: "setup-group-form", "data-group-add-form": true, novalidate: true,
  "aria-labelledby": "group-add-heading" },
h("div", { class: "setup-group-fields" }, GROUP_FIELDS.map((f) => groupField("group-new", f, NEW_GROUP))),
formActions(
  h("button", { type: "submit", class: "primary", "data-group-add-submit": true }, t("setup.group_add")),
  h("p", { class: "error", role: "alert", "data-form-error": true })));
$("[data-group-add]").append(addGroupForm);

function groupElement(group) {
  const pfx = `group-${group.id}`;
  const li = h("li", { class: "setup-group", "data-group-id": group.id },
    h("div", { class: "setup-group-head" },
      h("h3", { id: `${pfx}-heading`, class: "setup-group-name", tabindex: "-1", "data-group-name": true }),
      h("ul", { class: "setup-group-facts" },
        h("li", { "data-group-seats": true }), h("li", { "data-group-host": true }), h("li", { "data-group-room": true }))),
    h("p", { class: "setup-group-description", "data-group-description": true }),
    hostLinkField(group, pfx),
    h("div", { class: "setup-group-actions" },
      h("button", { type: "button", "data-group-edit": true, "aria-expanded": "false", "aria-controls": `${pfx}-form`,
        "aria-describedby": `${pfx}-error` }, t("setup.group_edit"), titleSuffix()),
      h("span", { class: "setup-item-state", "data-group-state": true }),
      h("button", { type: "button", class: "danger", "data-group-remove": true, "aria-describedby": `${pfx}-error` },
        t("setup.remove"), titleSuffix())),
    h("p", { class: "error", role: "alert", id: `${pfx}-error`, "data-group-error": true }),
    h("form", { class: "setup-group-form", id: `${pfx}-form`, "data-group-edit-form": true, novalidate: true, hidden: true,
      "aria-labelledby": `${pfx}-heading` },
    h("div", { class: "setup-group-fields" }, GROUP_FIELDS.map((f) => groupField(pfx, f, group))),
    formActions(
      h("button", { type: "submit", class: "primary" }, t("setup.save"), titleSuffix()),
      h("button", { type: "button", "data-group-cancel": true }, t("setup.group_cancel")),
      h("p", { class: "error", role: "alert", "data-form-error": true }))),
    h("section", { class: "setup-goals", "aria-labelledby": `${pfx}-goals-heading` },
      h("h4", { id: `${pfx}-goals-heading` }, t("setup.goals"), titleSuffix()),
      h("ol", { class: "setup-goal-list", "data-goal-list": true }),
      h("p", { class: "hint", "data-goals-none": true }, t("setup.goals_none")),
      h("form", { class: "setup-goal-add", "data-goal-add-form": true, novalidate: true },
        goalTextField(`${pfx}-goal-new`, t("setup.goal_new")),
        formActions(h("button", { type: "submit" }, t("setup.goal_add"), titleSuffix())))));
  return li;
}

/** The group's host link: whoever opens it on the day (joining first) hosts the group. */
function hostLinkField(group, pfx) {
  const input = h("input", { id: `${pfx}-host-link`, class: "copy-field", readonly: true, "data-group-host-link": true,
    "aria-describedby": `${pfx}-host-link-hint` });
  const copy = h("button", { type: "button" }, t("breakout.copy"),
    h("span", { class: "visually-hidden", "data-title-suffix": true }));
  copy.addEventListener("click", async () => {
    announce((await copyText(input)) ? t("breakout.copied") : t("breakout.copy_manually"));
  });
  return h("div", { class: "setup-group-host-link field" },
    h("label", { for: `${pfx}-host-link` }, t("breakout.host_link")),
    h("p", { class: "hint", id: `${pfx}-host-link-hint` }, t("setup.group_host_link_hint")),
    h("div", { class: "copy-row" }, input, copy));
}

function goalElement(goal) {
  const pfx = `goal-${goal.id}`;
  const proposed = goal.origin === "participant";
  return h("li", { class: `setup-goal${proposed ? " is-proposed" : ""}`, "data-goal-id": goal.id },
    h("div", { class: "setup-goal-row" },
      h("p", { class: "setup-goal-text" },
        proposed ? h("span", { class: "setup-goal-badge" }, t("setup.goal_proposed")) : null,
        h("span", { "data-goal-text": true })),
      proposed ? null : h("div", { class: "setup-goal-actions" },
        h("button", { type: "button", "data-goal-reword": true, "aria-expanded": "false", "aria-controls": `${pfx}-form`,
          "aria-describedby": `${pfx}-error` }, t("setup.goal_reword"), goalSuffix()),
        h("button", { type: "button", class: "danger", "data-goal-remove": true, "aria-describedby": `${pfx}-error` },
          t("setup.remove"), goalSuffix()))),
    proposed ? null : h("form", { class: "setup-goal-form", id: `${pfx}-form`, "data-goal-form": true, novalidate: true, hidden: true },
      goalTextField(`${pfx}-text`, t("setup.goal_text")),
      formActions(
        h("button", { type: "submit", class: "primary" }, t("setup.save"), goalSuffix()),
        h("button", { type: "button", "data-goal-cancel": true }, t("setup.group_cancel")))),
    h("p", { class: "error", role: "alert", id: `${pfx}-error`, "data-goal-error": true }));
}

/** A field the user is not editing takes the server's value. */
function follow(control, server) {
  if (control === document.activeElement) return;
  if (isTouched(control) && control.value !== server) return; // unsaved: keep it
  control.value = server;
  delete control.dataset.touched;
}

function updateGoal(li, goal) {
  li.goal = goal;
  $("[data-goal-text]", li).textContent = goal.text;
  for (const suffix of $$("[data-goal-suffix]", li)) suffix.textContent = `: ${goal.text}`;
  const form = $("[data-goal-form]", li);
  if (form && !form.hidden) follow($("[data-field=text]", form), goal.text);
}

function roomLink(url) {
  // the server accepts only http(s) links; a link is made only of those all the same
  if (!/^https?:\/\//i.test(url)) return url;
  return h("a", { href: url, target: "_blank", rel: "noopener noreferrer", class: "setup-group-room" },
    url, h("span", { class: "visually-hidden" }, ` ${t("setup.new_window")}`));
}

function updateGroup(li, group) {
  li.group = group;
  $("[data-group-name]", li).textContent = group.name;
  for (const suffix of $$("[data-title-suffix]", li)) suffix.textContent = `: ${group.name}`;
  $("[data-group-seats]", li).textContent = t("setup.group_seats", { n: group.capacity });
  $("[data-group-host]", li).textContent = group.host_name
    ? t("setup.group_host_is", { name: group.host_name }) : t("setup.group_no_host");
  $("[data-group-room]", li).replaceChildren(...(group.room_url
    ? [`${t("setup.group_room")}: `, roomLink(group.room_url)] : [t("setup.group_no_room")]));
  $("[data-group-host-link]", li).value = absolute(group.host_link);
  const description = $("[data-group-description]", li);
  description.textContent = group.description || "";
  description.hidden = !group.description;
  const form = $("[data-group-edit-form]", li);
  if (!form.hidden) for (const field of GROUP_FIELDS) follow($(`[data-field="${field.name}"]`, form), groupValue(group, field.name));
  reconcile($("[data-goal-list]", li), group.goals, "goalId", goalElement, updateGoal);
  $("[data-goals-none]", li).hidden = group.goals.length > 0;
}

/**
 * Make `container`'s children the elements of `items` (by id, in order): existing ones are
 * updated, not rebuilt, and moved only when out of place (a focused field stays attached).
 */
function reconcile(container, items, key, create, update) {
  const existing = new Map([...container.children].map((el) => [el.dataset[key], el]));
  const wanted = items.map((item) => {
    const el = existing.get(String(item.id)) || create(item);
    update(el, item);
    return el;
  });
  const keep = new Set(wanted);
  for (const el of existing.values()) if (!keep.has(el)) el.remove();
  wanted.forEach((el, index) => {
    if (container.children[index] !== el) container.insertBefore(el, container.children[index] || null);
  });
}

function renderGroups(groups) {
  const hadFocus = groupList.contains(document.activeElement);
  reconcile(groupList, groups, "groupId", groupElement, updateGroup);
  groupsNone.hidden = groups.length > 0;
  // what had the focus was removed (by another organiser): keep the keyboard in the section
  if (hadFocus && !groupList.contains(document.activeElement)) $("#groups-heading").focus();
}

followStateField("groups", renderGroups);

// A participant's proposal (or a host's merge) changes a group's goals without a workshop.state;
// the facilitators' `workspace.state` of that group (unsequenced, coalesced: the highest version
// wins) carries them, like `groups` every goal that was not merged into another.
const workspaceVersions = new Map(); // group id -> highest workspace version seen
live.socket.on("workspace.state", (envelope) => {
  const payload = envelope?.data;
  const group = live.state.data?.groups?.find((g) => g.id === payload?.group_id);
  if (!group || !payload.workspace?.goals || payload.version < (workspaceVersions.get(group.id) ?? -1)) return;
  workspaceVersions.set(group.id, payload.version);
  group.goals = payload.workspace.goals.map(({ id, text, origin }) => ({ id, text, origin }));
  renderGroups(live.state.data.groups);
});

// --- theme groups: actions -------------------------------------------------------------------

const groupOf = (el) => el.closest("li[data-group-id]");
const goalOf = (el) => el.closest("li[data-goal-id]");

/** Run `send` once at a time per form (a double Enter adds one group, not two). */
async function once(form, send) {
  if (form.dataset.busy) return;
  form.dataset.busy = "true";
  try {
    await send();
  } finally {
    delete form.dataset.busy;
  }
}

function resetFields(form, values) {
  clearErrors(form);
  for (const control of $$("[data-field]", form)) {
    control.value = values(control.dataset.field);
    delete control.dataset.touched;
  }
}

function toggleForm(form, button, open) {
  form.hidden = !open;
  button.setAttribute("aria-expanded", String(open));
}

function openGroupForm(li) {
  const form = $("[data-group-edit-form]", li);
  resetFields(form, (name) => groupValue(li.group, name));
  toggleForm(form, $("[data-group-edit]", li), true);
  $("[data-group-state]", li).textContent = "";
  $("[data-field=name]", form).focus();
}

function closeGroupForm(li) {
  const form = $("[data-group-edit-form]", li);
  resetFields(form, (name) => groupValue(li.group, name));
  const button = $("[data-group-edit]", li);
  toggleForm(form, button, false);
  button.focus();
}

function openGoalForm(li) {
  const form = $("[data-goal-form]", li);
  resetFields(form, () => li.goal.text);
  toggleForm(form, $("[data-goal-reword]", li), true);
  $("[data-field=text]", form).focus();
}

function closeGoalForm(li) {
  const form = $("[data-goal-form]", li);
  resetFields(form, () => li.goal.text);
  const button = $("[data-goal-reword]", li);
  toggleForm(form, button, false);
  button.focus();
}

async function createGroup(form) {
  const general = $("[data-form-error]", form);
  clearErrors(form);
  const local = emptyRequired(form, ["name", "capacity"]);
  if (local) return showError(form, local, general, problemText);
  const payload = {};
  for (const field of GROUP_FIELDS) {
    const value = field.wire($(`[data-field="${field.name}"]`, form).value);
    if (value !== null) payload[field.name] = value;
  }
  const ack = await live.command("group.create", payload);
  if (!ack.ok) return showError(form, ack.error, general, problemText);
  resetFields(form, (name) => groupValue(NEW_GROUP, name));
  announce(t("setup.added", { title: payload.name }));
  $("[data-field=name]", form).focus();
}

async function saveGroup(li, form) {
  const general = $("[data-form-error]", form);
  clearErrors(form);
  const local = emptyRequired(form, ["name", "capacity"]);
  if (local) return showError(form, local, general, problemText);
  const changes = {};
  for (const field of GROUP_FIELDS) {
    const sent = field.wire($(`[data-field="${field.name}"]`, form).value);
    if (sent !== (li.group[field.name] ?? null)) changes[field.name] = sent; // null clears an optional field
  }
  const state = $("[data-group-state]", li);
  if (!Object.keys(changes).length) {
    closeGroupForm(li);
    state.textContent = t("setup.nothing_to_save");
    announce(state.textContent);
    return;
  }
  const ack = await live.command("group.update", { group_id: li.group.id, ...changes });
  if (!ack.ok) return showError(form, ack.error, general, problemText);
  closeGroupForm(li);
  state.textContent = t("saved");
  announce(t("saved"));
}

async function removeGroup(li) {
  const { id, name } = li.group;
  const button = $("[data-group-remove]", li);
  const error = $("[data-group-error]", li);
  error.textContent = "";
  if (!(await confirmRemove(t("setup.group_confirm_remove", { name })))) {
    button.focus();
    return;
  }
  const neighbour = li.nextElementSibling || li.previousElementSibling;
  const ack = await live.command("group.delete", { group_id: id });
  if (!ack.ok) {
    error.textContent = t("error", { message: ack.error.message });
    button.focus();
    return;
  }
  li.remove(); // the new state may still be on its way
  announce(t("setup.removed", { title: name }));
  (neighbour && groupList.contains(neighbour) ? $("[data-group-edit]", neighbour) : $("#groups-heading")).focus();
}

async function addGoal(li, form) {
  const control = $("[data-field=text]", form);
  const general = $('[data-error-for="text"]', form);
  clearErrors(form);
  const local = emptyRequired(form, ["text"]);
  if (local) return showError(form, local, general, problemText);
  const text = control.value.trim();
  const ack = await live.command("group.goal.add", { group_id: li.group.id, text });
  if (!ack.ok) return showError(form, ack.error, general, problemText);
  resetFields(form, () => "");
  announce(t("setup.added", { title: text }));
  control.focus();
}

async function rewordGoal(li, form) {
  clearErrors(form);
  const local = emptyRequired(form, ["text"]);
  const general = $("[data-goal-error]", li);
  if (local) return showError(form, local, general, problemText);
  const text = $("[data-field=text]", form).value.trim();
  if (text === li.goal.text) {
    closeGoalForm(li);
    announce(t("setup.nothing_to_save"));
    return;
  }
  const ack = await live.command("group.goal.update", { goal_id: li.goal.id, text });
  if (!ack.ok) return showError(form, ack.error, general, problemText);
  closeGoalForm(li);
  announce(t("saved"));
}

async function removeGoal(li) {
  const group = groupOf(li);
  const { id, text } = li.goal;
  const button = $("[data-goal-remove]", li);
  const error = $("[data-goal-error]", li);
  error.textContent = "";
  if (!(await confirmRemove(t("setup.goal_confirm_remove", { text })))) {
    button.focus();
    return;
  }
  const neighbour = li.nextElementSibling || li.previousElementSibling;
  const ack = await live.command("group.goal.remove", { goal_id: id });
  if (!ack.ok) {
    error.textContent = t("error", { message: ack.error.message });
    button.focus();
    return;
  }
  li.remove();
  announce(t("setup.removed", { title: text }));
  const next = neighbour && group.contains(neighbour) ? $("button", neighbour) : null;
  (next || $("[data-goal-add-form] [data-field=text]", group)).focus();
}

groupSection.addEventListener("input", (event) => {
  const control = event.target.closest("[data-field]");
  if (!control) return;
  control.dataset.touched = "true";
  control.removeAttribute("aria-invalid");
  const error = control.form && $(`[data-error-for="${control.dataset.field}"]`, control.form);
  if (error) error.textContent = "";
});

groupSection.addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.target;
  const send = form === addGroupForm ? () => createGroup(form)
    : form.matches("[data-group-edit-form]") ? () => saveGroup(groupOf(form), form)
      : form.matches("[data-goal-add-form]") ? () => addGoal(groupOf(form), form)
        : form.matches("[data-goal-form]") ? () => rewordGoal(goalOf(form), form) : null;
  if (send) once(form, send);
});

groupSection.addEventListener("click", (event) => {
  const button = event.target.closest("button[type=button]");
  if (!button) return;
  const li = groupOf(button);
  const goal = goalOf(button);
  const editForm = li && $("[data-group-edit-form]", li);
  if (button.hasAttribute("data-group-edit")) (editForm.hidden ? openGroupForm : closeGroupForm)(li);
  else if (button.hasAttribute("data-group-cancel")) closeGroupForm(li);
  else if (button.hasAttribute("data-group-remove")) removeGroup(li);
  else if (button.hasAttribute("data-goal-reword")) ($("[data-goal-form]", goal).hidden ? openGoalForm : closeGoalForm)(goal);
  else if (button.hasAttribute("data-goal-cancel")) closeGoalForm(goal);
  else if (button.hasAttribute("data-goal-remove")) removeGoal(goal);
});

// Escape in an edit form cancels it (the focus goes back to its Edit / Reword button)
groupSection.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  const form = event.target.closest("form");
  if (form?.matches("[data-group-edit-form]")) closeGroupForm(groupOf(form));
  else if (form?.matches("[data-goal-form]")) closeGoalForm(goalOf(form));
  else return;
  event.preventDefault();
});

// --- day -------------------------------------------------------------------------------------

dayForm.addEventListener("input", (event) => {
  event.target.dataset.touched = "true";
  event.target.removeAttribute("aria-invalid");
});

dayForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const { starts_at: startInput, date: dateInput } = dayForm.elements;
  const error = $("[data-day-error]");
  clearErrors(dayForm);
  error.textContent = "";
  const payload = { starts_at: startInput.value };
  if (dateInput.value) payload.date = dateInput.value;
  const ack = await live.command("agenda.day.update", payload);
  if (!ack.ok) {
    const field = ack.error.details?.fields?.[0]?.field;
    const control = dayForm.elements[field];
    if (control) control.setAttribute("aria-invalid", "true");
    error.textContent = t("error", { message: ack.error.details?.fields?.[0]?.message || ack.error.message });
    (control || startInput).focus();
    return;
  }
  for (const control of [startInput, dateInput]) delete control.dataset.touched;
  announce(t("setup.day_saved", { time: startInput.value }));
});

// --- add -------------------------------------------------------------------------------------

$("[data-kind-select]", addForm).replaceChildren(...kindOptions("plenary"));

addForm.addEventListener("input", (event) => {
  const control = event.target.closest("[data-field]");
  if (!control) return;
  control.removeAttribute("aria-invalid");
  $(`[data-error-for="${control.dataset.field}"]`, addForm).textContent = "";
});

addForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const { title, kind, duration, position } = addForm.elements;
  clearErrors(addForm);
  const payload = { title: title.value.trim(), kind: kind.value, duration: integer(duration.value) };
  if (position.value !== "") payload.position = Number(position.value);
  const ack = await live.command("agenda.item.add", payload);
  if (!ack.ok) {
    showError(addForm, ack.error, $("[data-add-error]", addForm));
    return;
  }
  announce(t("setup.added", { title: payload.title }));
  title.value = "";
  position.value = "";
  title.focus();
});

// unsaved edits are not lost silently when leaving the page
window.addEventListener("beforeunload", (event) => {
  const typed = $$("[data-touched]", groupSection).some((control) => !control.closest("form[hidden]"));
  if ($(".setup-item.is-dirty", list) || $$("[data-touched]", dayForm).length || typed) event.preventDefault();
});
