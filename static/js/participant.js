// The participant's phone: current item with countdown, what comes next, the whole agenda.
import { renderActivity } from "./activities/index.js";
import { connectLive, t } from "./live.js";
import { $, TimerDisplay, announce, clock, currentItem, h, kindLabel, nextItem, setText, showBroadcast, showConnection } from "./view.js";

const main = $("#main");
const timer = new TimerDisplay();
let lastItemId;

function render(data, reason) {
  const { agenda, workshop } = data;
  const tz = agenda.timezone;
  const item = currentItem(agenda);
  const next = nextItem(agenda);

  if (item) {
    setText("[data-now-kind]", kindLabel(item.kind));
    setText("[data-now-title]", item.title);
    setText("[data-now-description]", item.description || "");
  } else if (workshop.state === "ended") {
    setText("[data-now-kind]", "");
    setText("[data-now-title]", t("day_ended"));
    setText("[data-now-description]", "");
  } else {
    setText("[data-now-kind]", t("not_started"));
    setText("[data-now-title]", workshop.title);
    setText("[data-now-description]", t("starts_at", { time: agenda.day_starts_at }));
  }
  timer.show(item);
  if (reason !== "snapshot" && item && item.id !== lastItemId) announce(t("now_running", { title: item.title }));
  lastItemId = item?.id;

  $("[data-next-box]").hidden = !next;
  if (next) {
    setText("[data-next-time]", clock(next.projected_start, tz));
    setText("[data-next-title]", next.title);
  }

  $("[data-agenda]").replaceChildren(
    ...agenda.items.map((i) =>
      h(
        "li",
        { class: `agenda-item status-${i.status}`, "aria-current": i.id === agenda.current_id ? "step" : null },
        h("span", { class: "time" }, i.started_at ? clock(i.started_at, tz) : clock(i.projected_start, tz)),
        h("span", { class: "title" }, i.title),
        h("span", { class: "status" }, t(`status.${i.status}`)),
      ),
    ),
  );
  renderActivity($("[data-activity]"), data, "participant", live);
  showBroadcast(data, reason);
}

const live = connectLive({
  workshop: main.dataset.workshop,
  view: "participant",
  onChange: render,
  onStatus: showConnection,
  onRefused: (error) => {
    if (error.code === "not_authenticated") window.location.assign(`/j/${main.dataset.workshop}`);
  },
});
