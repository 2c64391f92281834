// The facilitator's cockpit: drive the agenda, watch drift, re-plan, message everyone.
import { renderActivity } from "./activities/index.js";
import { connectLive, t } from "./live.js";
import { $, $$, TimerDisplay, clock, currentItem, driftText, h, kindLabel, minutes, preserveFocus, setText, showConnection, showRefused } from "./view.js";

const main = $("#main");
const timer = new TimerDisplay();
const feedback = $("[data-feedback]");
let latest = null;
/** Where keyboard focus goes when the pressed agenda control is hidden by the new state. */
const FOCUS_AFTER = { "day.start": "agenda.pause", "agenda.pause": "agenda.resume", "agenda.resume": "agenda.pause",
  "agenda.next": "agenda.previous" };

const live = connectLive({ workshop: main.dataset.workshop, view: "cockpit", onChange: render, onStatus: showConnection,
  onRefused: showRefused });

async function run(name, payload = {}) {
  const ack = await live.command(name, payload);
  feedback.textContent = ack.ok ? "" : t("error", { message: ack.error.message });
  return ack;
}

function shortenChoice() {
  return $$("[data-shorten]:checked").map((box) => Number(box.value));
}

function render(data) {
  latest = data;
  renderActivity($("[data-activity]"), data, "cockpit", live);
  const { agenda, workshop, presence } = data;
  const tz = agenda.timezone;
  const item = currentItem(agenda);
  const running = workshop.state === "running";

  setText("[data-now-title]", item ? item.title : workshop.state === "ended" ? t("day_ended") : t("not_started"));
  timer.show(item);
  const drift = $("[data-drift]");
  drift.textContent = driftText(agenda.drift_s);
  drift.dataset.late = agenda.drift_s >= 60 ? "true" : "false";
  setText("[data-projected-end]", clock(agenda.projected_end, tz));
  setText("[data-planned-end]", clock(agenda.planned_end, tz));

  const visible = {
    "day.start": workshop.state === "planned",
    // the server refuses "previous" until an item has finished: no button that can only fail
    "agenda.previous": agenda.items.some((i) => i.status === "done"),
    "agenda.pause": item?.status === "running",
    "agenda.resume": item?.status === "paused",
    "agenda.next": running,
  };
  const focusedCmd = document.activeElement?.dataset?.cmd;
  for (const button of $$("[data-cmd]")) button.hidden = !visible[button.dataset.cmd];
  if (focusedCmd && !visible[focusedCmd]) {
    // the pressed control disappeared (start → pause, pause ↔ resume): keep keyboard focus in the
    // controls instead of letting it fall back to the page
    const target = [FOCUS_AFTER[focusedCmd], ...Object.keys(visible)].find((cmd) => visible[cmd]);
    if (target) $(`[data-cmd="${target}"]`).focus();
  }
  for (const button of $$("[data-extend]")) button.disabled = !item;
  $("[data-replan]").disabled = !running;

  const chosen = new Set(shortenChoice());
  const firstRender = !$("[data-agenda-rows] tr");
  const rows = $("[data-agenda-rows]");
  preserveFocus(rows, () => rows.replaceChildren(
    ...agenda.items.map((i) => {
      const canShorten = i.status === "pending" && !i.pinned_at;
      const actual = [i.started_at && clock(i.started_at, tz), i.ended_at && clock(i.ended_at, tz)].filter(Boolean).join("–");
      const changed = i.duration_s !== i.planned_duration_s;
      const ahead = i.status === "pending" || i.status === "running" || i.status === "paused";
      return h(
        "tr",
        { class: `status-${i.status}`, "aria-current": i.id === agenda.current_id ? "step" : null },
        h("td", {}, canShorten
          ? h("input", { type: "checkbox", value: i.id, "data-shorten": true, "data-focus-key": `shorten-${i.id}`, checked: firstRender || chosen.has(i.id),
              "aria-label": `${t("replan_confirm")} ${i.title}`, "aria-describedby": "replan-hint" })
          : ""),
        h("th", { scope: "row" }, h("span", { class: "kind" }, kindLabel(i.kind)), " ", i.title,
          i.pinned_at ? h("span", { class: "pin" }, ` · ${t("pinned_at", { time: i.pinned_at })}`) : ""),
        h("td", {}, clock(i.planned_start, tz)),
        // drift matters for what is still ahead; finished and skipped items show their actual times
        h("td", { class: ahead && i.drift_s >= 60 ? "late" : "" }, ahead ? clock(i.projected_start, tz) : "",
          ahead && Math.abs(i.drift_s) >= 60 ? h("span", { class: "drift-cell" }, ` (${driftText(i.drift_s)})`) : ""),
        h("td", {}, actual),
        h("td", {}, `${minutes(i.duration_s)} ${t("min")}`, changed ? h("span", { class: "subtle" }, ` (${minutes(i.planned_duration_s)})`) : ""),
        h("td", {}, t(`status.${i.status}`)),
        h("td", {}, i.status === "pending" && workshop.state !== "ended"
          ? h("button", { type: "button", class: "small", "data-focus-key": `goto-${i.id}`, onclick: () => run("agenda.goto", { item_id: i.id }) },
              t("now"), h("span", { class: "visually-hidden" }, `: ${i.title}`))
          : ""),
      );
    }),
  ));

  if (presence) {
    setText("[data-online]", t("online", { n: presence.online }));
    $("[data-people]").replaceChildren(
      ...(presence.participants || []).map((p) =>
        h("li", {}, p.display_name || t("anonymous"), p.organisation ? h("span", { class: "subtle" }, ` · ${p.organisation}`) : ""),
      ),
    );
  }
  $("[data-join-open]").checked = workshop.is_join_open;
  $("[data-broadcast-log]").replaceChildren(
    ...(data.broadcasts || []).slice().reverse().map((b) => h("li", {}, h("span", { class: "time" }, clock(b.created_at, tz)), " ",
      b.group_name ? h("strong", {}, `${b.group_name}: `) : "", b.text)),
  );
}

for (const button of $$("[data-cmd]")) button.addEventListener("click", () => run(button.dataset.cmd));
for (const button of $$("[data-extend]")) {
  button.addEventListener("click", () => run("agenda.extend", { minutes: Number(button.dataset.extend) }));
}
$("[data-join-open]").addEventListener("change", (event) => run("workshop.join.set", { is_open: event.target.checked }));

$("[data-broadcast-form]").addEventListener("submit", async (event) => {
  event.preventDefault();
  const field = event.target.elements.text;
  const ack = await run("broadcast.send", { text: field.value });
  if (ack.ok) field.value = "";
});

const dialog = $("[data-replan-dialog]");
$("[data-replan]").addEventListener("click", async () => {
  const ack = await run("agenda.replan.preview", { item_ids: shortenChoice() });
  if (!ack.ok) return;
  const items = new Map(latest.agenda.items.map((i) => [i.id, i]));
  const body = $("[data-replan-body]");
  if (!ack.changes.length) {
    body.replaceChildren(h("p", {}, t("replan_none")));
    $("[data-replan-apply]").hidden = true;
  } else {
    $("[data-replan-apply]").hidden = false;
    body.replaceChildren(
      h("p", {}, t("replan_confirm")),
      h("ul", {}, ...ack.changes.map((c) => {
        const item = items.get(c.item_id);
        return h("li", {}, `${item.title}: ${minutes(item.duration_s)} → ${minutes(c.duration_s)} ${t("min")}`);
      })),
      ack.remaining_drift_s >= 60 ? h("p", { class: "warning" }, t("replan_left", { n: minutes(ack.remaining_drift_s) })) : "",
    );
  }
  dialog.returnValue = "";
  dialog.showModal();
});
dialog.addEventListener("close", () => {
  if (dialog.returnValue === "apply") run("agenda.replan", { item_ids: shortenChoice() });
});
