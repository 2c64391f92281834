// The projector: current item, big countdown, next item, join code + QR while joining is open.
import { renderActivity } from "./activities/index.js";
import { connectLive, t } from "./live.js";
import { $, TimerDisplay, clock, currentItem, kindLabel, nextItem, setText, showBroadcast, showConnection, showRefused } from "./view.js";

const main = $("#main");
const timer = new TimerDisplay();

function render(data, reason) {
  const { agenda, workshop, presence } = data;
  const tz = agenda.timezone;
  const item = currentItem(agenda);
  const next = nextItem(agenda);

  if (item) {
    setText("[data-now-kind]", kindLabel(item.kind));
    setText("[data-now-title]", item.title);
  } else if (workshop.state === "ended") {
    setText("[data-now-kind]", "");
    setText("[data-now-title]", t("day_ended"));
  } else {
    setText("[data-now-kind]", workshop.title);
    setText("[data-now-title]", t("starts_at", { time: agenda.day_starts_at }));
  }
  timer.show(item);

  // during a break the room wants to know when and with what it goes on
  const isBreak = Boolean(item && item.kind === "break" && next);
  $("[data-next-box]").hidden = !next || isBreak;
  $("[data-continue-box]").hidden = !isBreak;
  if (next) {
    setText("[data-next-time]", clock(next.projected_start, tz));
    setText("[data-next-title]", next.title);
    setText("[data-continue-box]", t("continues_at", { time: clock(next.projected_start, tz), title: next.title }));
  }

  $("[data-join-box]").hidden = !workshop.is_join_open;
  setText("[data-join-url]", workshop.join_url.replace(/^https?:\/\//, ""));
  if (presence) setText("[data-online]", t("online", { n: presence.online }));
  document.body.classList.toggle("join-open", workshop.is_join_open);
  renderActivity($("[data-activity]"), data, "screen", live);
  document.body.classList.toggle("has-activity", !$("[data-activity]").hidden);
  showBroadcast(data, reason);
}

const live = connectLive({ workshop: main.dataset.workshop, view: "screen", onChange: render, onStatus: showConnection,
  onRefused: showRefused });
