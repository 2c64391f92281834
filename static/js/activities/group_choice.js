// Choose your fighter: theme groups as cards. Phones choose with one tap (radio-group semantics:
// aria-pressed buttons, full groups disabled with the reason); the projector shows the live
// counts; the cockpit sees members, the undecided, lock/unlock, move (a select per person),
// "assign the undecided", the balance suggestion and the exports.
//
// Every renderer builds its DOM once per item (and again only if the set of groups changes),
// then updates texts and states in place. User text only ever goes in as text nodes.
import { t } from "../live.js";
import { $, commander, h } from "../view.js";

function sameGroups(container, groups) {
  const ids = groups.map((g) => g.id).join(",");
  if (container.dataset.groupIds === ids) return true;
  container.dataset.groupIds = ids;
  return false;
}

function seatsText(group) {
  return group.is_full
    ? t("group.full_seats", { taken: group.taken, capacity: group.capacity })
    : t("group.seats", { taken: group.taken, capacity: group.capacity, left: group.seats_left });
}

function stateText(view) {
  if (!view.is_open) return t("group.not_open");
  if (view.is_locked) return t("group.locked");
  return "";
}

// --- phones -----------------------------------------------------------------------------------

function card(group, onChoose) {
  return h("li", { class: "group-card-item" },
    h("button", { type: "button", class: "group-card", "data-group-id": String(group.id), "aria-pressed": "false",
      "data-focus-key": `group-${group.id}`, onclick: () => onChoose(group) },
      h("span", { class: "group-name" }, group.name),
      group.description ? h("span", { class: "group-description" }, group.description) : "",
      group.host_name ? h("span", { class: "group-host" }, t("group.host", { name: group.host_name })) : "",
      h("span", { class: "group-seats", "data-seats": true }),
      h("span", { class: "group-members subtle", "data-members": true }),
      h("span", { class: "group-mine", "data-mine": true, hidden: true }, t("group.your_choice"))));
}

export function participant(container, activity, data, live) {
  const view = activity.view;
  const choose = async (group) => {
    const ack = await live.command("group.choose", { group_id: group.id, round: view.round });
    const feedback = $("[data-group-feedback]", container);
    if (ack.ok) {
      data.me.activity = { ...(data.me.activity || {}), choice: ack.choice };
      feedback.textContent = t("group.chosen", { name: group.name });
      participant(container, activity, data, live);
    } else {
      feedback.textContent = t("error", { message: ack.error.message });
    }
  };
  if (!container.firstChild || !sameGroups(container, view.groups)) {
    container.replaceChildren(
      h("section", { class: "card activity group-choice", "aria-labelledby": "group-heading" },
        h("h2", { id: "group-heading" }, t("group.heading", { n: view.round })),
        h("p", { class: "subtle", id: "group-hint" }, t("group.hint")),
        h("p", { class: "closed-note", "data-group-state": true, hidden: true }),
        h("ul", { class: "group-cards", role: "group", "aria-labelledby": "group-heading", "aria-describedby": "group-hint" },
          ...view.groups.map((g) => card(g, choose))),
        h("p", { class: "feedback", role: "status", "data-group-feedback": true })),
    );
    container.dataset.groupIds = view.groups.map((g) => g.id).join(",");
  }
  // a facilitator moved or assigned people (maybe me): fetch my own choice again
  const stamp = `${activity.item_id}:${view.assignments_at || ""}`;
  const seen = container.dataset.assignmentsAt;
  container.dataset.assignmentsAt = stamp;
  if (seen && seen !== stamp && seen.startsWith(`${activity.item_id}:`)) live.resync();
  const mine = data.me?.activity?.choice?.group_id ?? null;
  const previous = data.me?.activity?.previous_group_id ?? null;
  const state = $("[data-group-state]", container);
  state.textContent = stateText(view);
  state.hidden = !state.textContent;
  for (const group of view.groups) {
    const button = container.querySelector(`[data-group-id="${group.id}"]`);
    const chosen = group.id === mine;
    button.setAttribute("aria-pressed", chosen ? "true" : "false");
    button.classList.toggle("is-chosen", chosen);
    const mustSwitch = view.is_switch_required && group.id === previous;
    button.disabled = !view.is_open || view.is_locked || (group.is_full && !chosen) || mustSwitch;
    $("[data-seats]", button).textContent = mustSwitch ? `${seatsText(group)} · ${t("group.switch_required")}` : seatsText(group);
    const names = group.names || [];
    const others = group.unnamed_count ? t("group.unnamed", { n: group.unnamed_count }) : "";
    $("[data-members]", button).textContent = [names.join(", "), others].filter(Boolean).join(" · ");
    $("[data-mine]", button).hidden = !chosen;
  }
}

// --- projector --------------------------------------------------------------------------------

export function screen(container, activity) {
  const view = activity.view;
  if (!container.firstChild || !sameGroups(container, view.groups)) {
    container.replaceChildren(
      h("section", { class: "activity group-choice-screen" },
        h("p", { class: "group-screen-state", "data-group-state": true }),
        h("ul", { class: "group-bars" },
          ...view.groups.map((g) => h("li", { class: "group-bar", "data-group-id": String(g.id) },
            h("span", { class: "group-bar-name" }, g.name),
            h("span", { class: "group-bar-track" }, h("span", { class: "group-bar-fill", "data-fill": true })),
            h("span", { class: "group-bar-value", "data-value": true })))),
        h("p", { class: "count", "data-group-count": true })),
    );
    container.dataset.groupIds = view.groups.map((g) => g.id).join(",");
  }
  $("[data-group-state]", container).textContent = stateText(view) || t("group.screen_open");
  for (const group of view.groups) {
    const row = container.querySelector(`[data-group-id="${group.id}"]`);
    const share = group.capacity ? Math.min(100, Math.round((100 * group.taken) / group.capacity)) : 100;
    $("[data-fill]", row).style.width = `${share}%`;
    row.classList.toggle("is-full", group.is_full);
    $("[data-value]", row).textContent = `${group.taken} / ${group.capacity}`;
  }
  $("[data-group-count]", container).textContent = t("group.decided", { n: view.decided_count });
}

// --- cockpit ----------------------------------------------------------------------------------

function moveControl(person, groups, currentId, act, round) {
  const label = person.name || t("anonymous");
  const id = `move-${person.participant_id}`;
  const select = h("select", { id, "data-focus-key": id },
    ...groups.map((g) => h("option", { value: String(g.id), selected: g.id === currentId }, g.name)));
  if (currentId === null) select.prepend(h("option", { value: "", selected: true }, t("group.no_group")));
  return h("li", { class: "group-person" },
    h("span", {}, label, person.assigned_by && person.assigned_by !== "self"
      ? h("span", { class: "subtle" }, ` (${t(`group.by.${person.assigned_by}`)})`) : ""),
    h("label", { for: id, class: "visually-hidden" }, t("group.move_label", { name: label })),
    select,
    h("button", { type: "button", class: "small", "data-focus-key": `${id}-go`,
      onclick: () => select.value && act("group.move", { participant_id: person.participant_id,
        group_id: Number(select.value), round }) },
    t("group.move"), h("span", { class: "visually-hidden" }, `: ${label}`)));
}

export function cockpit(container, activity, data, live) {
  const view = activity.view;
  const act = commander(live);
  if (!container.firstChild) {
    container.append(
      h("section", { class: "card activity group-choice-cockpit", "aria-labelledby": "group-cockpit-heading" },
        h("h2", { id: "group-cockpit-heading" }, t("group.heading", { n: view.round })),
        h("p", { "data-group-state": true, role: "status" }),
        h("div", { class: "controls" },
          h("button", { type: "button", "data-group-open": true }, t("group.open_round", { n: view.round })),
          h("button", { type: "button", "data-group-lock": true }),
          h("button", { type: "button", "data-group-assign": true }, t("group.assign_undecided")),
          h("button", { type: "button", "data-group-balance": true }, t("group.balance")),
          h("label", { class: "check", "data-group-switch-wrap": true },
            h("input", { type: "checkbox", "data-group-switch": true }), " ", t("group.require_switch"))),
        h("div", { "data-group-suggestions": true, role: "region", "aria-live": "polite" }),
        h("p", { class: "controls", "data-group-exports": true },
          h("a", { "data-export": "groups_csv", class: "button" }, t("group.export_groups")), " ",
          h("a", { "data-export": "zoom_csv", class: "button" }, t("group.export_zoom"))),
        h("p", { class: "subtle" }, t("group.zoom_note")),
        h("div", { class: "group-columns", "data-group-columns": true }),
        h("h3", {}, t("group.undecided"), " ", h("span", { "data-undecided-count": true })),
        h("ul", { class: "group-people", "data-undecided": true })),
    );
    const suggestions = $("[data-group-suggestions]", container);
    $("[data-group-balance]", container).addEventListener("click", async () => {
      const ack = await act("group.balance.preview", { round: Number(container.dataset.round) });
      if (!ack.ok) return;
      if (!ack.suggestions.length) {
        suggestions.replaceChildren(h("p", {}, t("group.balanced")));
        return;
      }
      suggestions.replaceChildren(h("h3", {}, t("group.suggestions")), h("ul", {},
        ...ack.suggestions.map((s) => h("li", {}, t("group.suggestion", { from: s.from_group, to: s.to_group }), " ",
          h("button", { type: "button", class: "small", onclick: (event) => {
            event.target.disabled = true;
            act("group.move", { participant_id: s.participant_id, group_id: s.to_group_id, round: ack.round });
          } }, t("group.apply"))))));
    });
  }
  container.dataset.round = String(view.round);
  const round = view.round;
  $("[data-group-state]", container).textContent = [
    view.is_open ? (view.is_locked ? t("group.locked_short") : t("group.open_short")) : t("group.not_open"),
    t("group.decided", { n: view.decided_count }),
  ].join(" · ");
  $("[data-group-open]", container).hidden = view.is_open;
  $("[data-group-open]", container).onclick = () => act("group.round.open", { round });
  const lock = $("[data-group-lock]", container);
  lock.hidden = !view.is_open;
  lock.textContent = view.is_locked ? t("group.unlock") : t("group.lock");
  lock.onclick = () => act(view.is_locked ? "group.unlock" : "group.lock", { round });
  $("[data-group-assign]", container).onclick = () => act("group.assign_undecided", { round });
  $("[data-group-assign]", container).disabled = !view.is_open || !view.undecided.length;
  $("[data-group-balance]", container).disabled = !view.is_open;
  $("[data-group-switch-wrap]", container).hidden = round < 2;
  const switchBox = $("[data-group-switch]", container);
  switchBox.checked = view.is_switch_required;
  switchBox.onchange = () => act("group.require_switch", { round, required: switchBox.checked });
  for (const link of container.querySelectorAll("[data-export]")) {
    const href = view.exports?.[link.dataset.export];
    if (href) link.setAttribute("href", href);
    link.hidden = !href;
  }
  const active = document.activeElement?.dataset?.focusKey;
  $("[data-group-columns]", container).replaceChildren(...view.groups.map((g) =>
    h("section", { class: `group-column${g.is_full ? " is-full" : ""}` },
      h("h3", {}, g.name, " ", h("span", { class: "subtle" }, `${g.taken} / ${g.capacity}`)),
      g.host_name ? h("p", { class: "subtle" }, t("group.host", { name: g.host_name })) : "",
      h("ul", { class: "group-people" }, ...g.members.map((m) => moveControl(m, view.groups, g.id, act, round))))));
  $("[data-undecided-count]", container).textContent = `(${view.undecided.length})`;
  $("[data-undecided]", container).replaceChildren(...view.undecided.map((p) => moveControl(p, view.groups, null, act, round)));
  if (active) container.querySelector(`[data-focus-key="${CSS.escape(active)}"]`)?.focus();
}
