// The setup page: edit the day's start, the agenda items and their order, prepare polls.
// Items are patched in place on every workshop.state, never rebuilt while someone edits them:
// a field the user has changed (data-touched) or that has focus keeps what is typed in it.
// Drag and drop (SortableJS) is an extra for pointer users; the Move up/down buttons do the same.
import Sortable from "../vendor/sortablejs-1.15.7/sortable.esm.js";
import { choiceHint, pollEditor, stateBadge } from "./activities/poll.js";
import { connectLive, strings, t } from "./live.js";
import { $, $$, announce, clock, h, kindLabel, minutes, preserveFocus, showConnection } from "./view.js";

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
  // later events are followed below (live.js does not keep `polls` from workshop.state)
  if (reason === "snapshot" && data.polls) setAllPolls(data.polls);
  renderPolls();
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
 */
function showError(root, error, general) {
  const fields = (error.details?.fields || [])
    .map((f) => ({ name: f.field, message: f.message }))
    .filter((f) => $(`[data-field="${f.name}"]`, root));
  if (!fields.length && ERROR_FIELDS[error.code] && $(`[data-field="${ERROR_FIELDS[error.code]}"]`, root)) {
    fields.push({ name: ERROR_FIELDS[error.code], message: error.message });
  }
  if (!fields.length) {
    general.textContent = t("error", { message: error.message });
    announce(general.textContent);
    return;
  }
  for (const f of fields) {
    const control = $(`[data-field="${f.name}"]`, root);
    control.setAttribute("aria-invalid", "true");
    // next to its field the message needs no "That did not work:" in front (aria-invalid says it)
    $(`[data-error-for="${f.name}"]`, root).textContent = f.message;
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

/** Ask in a modal dialog (Cancel has the initial focus); resolves true for "Remove". */
function confirmRemove(title) {
  $("[data-remove-question]", removeDialog).textContent = t("setup.confirm_remove", { title });
  removeDialog.returnValue = "";
  return new Promise((resolve) => {
    removeDialog.addEventListener("close", () => resolve(removeDialog.returnValue === "remove"), { once: true });
    removeDialog.showModal();
  });
}

async function remove(li) {
  const { id, title } = li.item;
  if (!(await confirmRemove(title))) return;
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

// --- polls -----------------------------------------------------------------------------------
// Facilitators get every poll of the workshop as `polls` (snapshot and each workshop.state); an
// activity.state of any item brings that item's polls. live.js keeps only the current item's
// activity, so this page listens to both events itself — after live.js, which has then taken
// the event's sequence number if it applied the event (a gap makes it resync: a snapshot follows).
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

const applied = (envelope) => envelope.seq === live.state.seq && envelope.data;

live.socket.on("workshop.state", (envelope) => {
  if (!applied(envelope) || !envelope.data.polls) return;
  setAllPolls(envelope.data.polls);
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
  if ($(".setup-item.is-dirty", list) || $$("[data-touched]", dayForm).length) event.preventDefault();
});
