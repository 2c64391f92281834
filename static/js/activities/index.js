// Activities of agenda items (Clusterkette, polls, Blitzlicht …): one module per kind, each
// exporting participant(), screen() and cockpit() renderers:
//   render(container, activity, data, live) — container is reused while the same item runs,
//   so a renderer builds its DOM once (container.dataset.itemId) and then only updates it:
//   what a participant is typing must survive live updates.
// An item of any kind may also show polls (settings.poll, e.g. the RVR Blitzlicht): the server
// sends them as activity.polls, rendered by the poll module beside the item's own activity.
import * as blitzlicht from "./blitzlicht.js";
import * as breakout from "./breakout.js";
import * as cluster from "./cluster.js";
import * as groupChoice from "./group_choice.js";
import * as poll from "./poll.js";

const KINDS = { blitzlicht, breakout, cluster_chain: cluster, group_choice: groupChoice, poll };

/** The polls an item of another kind shows, as a poll activity (or null). */
function attachedPolls(activity) {
  if (!activity || activity.kind === "poll" || !activity.polls) return null;
  return { item_id: activity.item_id, kind: "poll", view: activity.polls };
}

/** Whether the projector should show the item's poll now: while it is open or its results are out. */
function pollOnScreen(polls) {
  const current = polls.view.polls.find((p) => p.id === polls.view.current_id);
  return Boolean(current && (current.state === "open" || current.results_public));
}

function slot(container, name) {
  let el = container.querySelector(`:scope > [data-slot="${name}"]`);
  if (!el) {
    el = document.createElement("div");
    el.dataset.slot = name;
    container.append(el);
  }
  return el;
}

function renderSlot(el, render, activity, data, live) {
  if (!render) {
    el.hidden = true;
    el.replaceChildren();
    return;
  }
  el.hidden = false;
  render(el, activity, data, live);
}

/** Render the current item's activity into `container` for `role` (participant | screen | cockpit). */
export function renderActivity(container, data, role, live) {
  const activity = data.activity;
  const module = activity && activity.view && KINDS[activity.kind];
  const own = module && module[role] ? module[role] : null;
  const polls = attachedPolls(activity);
  if (!own && !polls) {
    container.hidden = true;
    container.replaceChildren();
    delete container.dataset.itemId;
    return;
  }
  if (container.dataset.itemId !== String(activity.item_id)) {
    container.replaceChildren();
    container.dataset.itemId = String(activity.item_id);
  }
  container.hidden = false;
  // phones and cockpit: the poll first (it runs for a few minutes), then the item's own activity;
  // the projector shows one of them: the poll while it is open or its results are shown
  const pollSlot = slot(container, "polls");
  const kindSlot = slot(container, "kind");
  const pollFirst = polls && role === "screen" && pollOnScreen(polls);
  renderSlot(pollSlot, polls && (role !== "screen" || pollFirst) ? poll[role] : null, polls, data, live);
  renderSlot(kindSlot, pollFirst ? null : own, activity, data, live);
}
