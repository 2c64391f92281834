// Activities of agenda items (Clusterkette, polls, Blitzlicht …): one module per kind, each
// exporting participant(), screen() and cockpit() renderers:
//   render(container, activity, data, live) — container is reused while the same item runs,
//   so a renderer builds its DOM once (container.dataset.itemId) and then only updates it:
//   what a participant is typing must survive live updates.
import * as blitzlicht from "./blitzlicht.js";
import * as cluster from "./cluster.js";
import * as poll from "./poll.js";

const KINDS = { blitzlicht, cluster_chain: cluster, poll };

/** Render the current item's activity into `container` for `role` (participant | screen | cockpit). */
export function renderActivity(container, data, role, live) {
  const activity = data.activity;
  const module = activity && KINDS[activity.kind];
  if (!module || !module[role]) {
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
  module[role](container, activity, data, live);
}
