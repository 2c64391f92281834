// Breakout workspaces (Arbeit in Themengruppen): each phone shows its theme group's workspace —
// the draft goals (Handlungsziele) with comments, rewordings and dot votes, new goals, good
// practices and answers to the guiding questions; round 2 builds on what round 1 wrote (the
// handover). The group's host (Themenpat*in) marks results, merges duplicates, hides posts and
// writes the summary. The projector shows every group's progress; the cockpit manages hosts,
// messages groups, looks into any workspace (and moderates it) and calls everyone back.
//
// The personal part is not in the snapshot: on the item's first render and after every fresh
// snapshot (reconnect, resync) the phone asks for it with `workspace.follow`, which also
// subscribes the socket to its group's `workspace.state` events (unsequenced: the highest
// `version` per group wins). Forms are built once and keep what people type; lists are redrawn.
// User text only ever goes in as text nodes.
import { t } from "../live.js";
import { $, absolute, announce, copyText, h, preserveFocus, showBroadcast } from "../view.js";

const LIMITS = { comment: 500, rewording: 300, goal: 300, title: 120, organisation: 120, practice: 1000, answer: 1000,
  summary: 2000, broadcast: 280 };

// --- workspace.state: one listener per socket, the newest version per group -------------------

const versions = new Map(); // group_id -> highest workspace version seen on this page
const latest = new Map(); // group_id -> that workspace
const watchers = new Set(); // functions called with every accepted workspace
let wiredSocket = null;
const followers = new Set(); // phones' states: asked to follow again on workspace.changed

/** Take a workspace if it is not older than one we have; tell the views. */
function accept(workspace) {
  if (!workspace) return false;
  const seen = versions.get(workspace.group_id);
  if (seen !== undefined && workspace.version < seen) return false;
  versions.set(workspace.group_id, workspace.version);
  latest.set(workspace.group_id, workspace);
  for (const watcher of [...watchers]) watcher(workspace);
  return true;
}

function wire(live) {
  if (wiredSocket === live.socket) return;
  wiredSocket = live.socket;
  live.socket.on("workspace.state", (envelope) => {
    const payload = envelope && envelope.data;
    if (!payload || !payload.workspace) return;
    accept({ ...payload.workspace, group_id: payload.group_id ?? payload.workspace.group_id,
      version: payload.version ?? payload.workspace.version });
  });
  // my group, my host role or my workspace changed (moved, made host): ask for my part again
  live.socket.on("workspace.changed", () => {
    for (const state of [...followers]) {
      if (!state.container.isConnected) followers.delete(state);
      else follow(state);
    }
  });
}

/** Call `fn(workspace)` for accepted workspaces while `element` is in the page. */
function watch(element, fn) {
  const watcher = (workspace) => {
    if (!element.isConnected) watchers.delete(watcher);
    else fn(workspace);
  };
  watchers.add(watcher);
}

// --- small helpers ------------------------------------------------------------------------------

/** Only http(s) links become anchors; anything else stays text. */
function safeUrl(value) {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/** A count in words: the key's "_one" form for exactly one ("1 Punkt", not "1 Punkte"). */
function counted(key, n) {
  return t(n === 1 ? `${key}_one` : key, { n });
}

function shortText(text, max = 60) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

let uid = 0;
function nextId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

/**
 * A form that keeps what was typed: fields built once; `onSubmit(values)` returns the ack.
 * Errors appear next to the form (role=alert); after success the fields are emptied and focus
 * returns to the first field, so the next contribution can follow at once.
 */
function postForm({ fields, submitLabel, onSubmit, className = "" }) {
  const error = h("p", { class: "error bo-form-error", role: "alert" });
  const status = h("p", { class: "bo-form-status", role: "status" });
  const controls = fields.map((f) => {
    const id = nextId(f.name);
    const hintId = f.hint ? `${id}-hint` : null;
    const attrs = { id, name: f.name, maxlength: f.max, required: f.required, "aria-describedby": hintId,
      autocomplete: "off", "data-focus-key": id };
    const control = f.multiline
      ? h("textarea", { ...attrs, rows: f.rows || 2 })
      : h("input", { ...attrs, type: f.type || "text", inputmode: f.type === "url" ? "url" : null });
    return h("div", { class: "field" },
      h("label", { for: id }, f.label, f.required ? "" : h("span", { class: "subtle" }, ` ${t("breakout.optional")}`)),
      f.hint ? h("p", { class: "hint", id: hintId }, f.hint) : "",
      control);
  });
  const button = h("button", { type: "submit" }, submitLabel);
  const form = h("form", { class: `bo-form ${className}`.trim() }, ...controls, button, error, status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const values = {};
    for (const f of fields) values[f.name] = form.elements[f.name].value.trim();
    if (fields.some((f) => f.required && !values[f.name])) {
      error.textContent = t("breakout.empty");
      form.elements[fields.find((f) => f.required && !values[f.name]).name].focus();
      return;
    }
    button.disabled = true;
    error.textContent = "";
    status.textContent = "";
    const ack = await onSubmit(values);
    button.disabled = form.dataset.closed === "true";
    if (ack && ack.ok) {
      for (const f of fields) form.elements[f.name].value = "";
      status.textContent = t("breakout.sent");
      form.elements[fields[0].name].focus();
    } else if (ack) {
      error.textContent = t("error", { message: ack.error?.message || "" });
    }
  });
  form.setClosed = (closed) => {
    form.dataset.closed = String(closed);
    for (const el of form.elements) el.disabled = closed;
  };
  return form;
}

// --- the workspace --------------------------------------------------------------------------------

/**
 * One group's workspace. mode "member": the phone of a group member (writes; moderates when the
 * person is the host). mode "facilitator": the cockpit's look into a group (reads everything,
 * hidden posts marked; moderates with group_id).
 */
class WorkspaceView {
  constructor({ live, mode, groupId, level, onNotInGroup = () => {}, announceNew = false }) {
    this.live = live;
    this.mode = mode;
    this.groupId = groupId;
    this.level = level;
    this.onNotInGroup = onNotInGroup;
    this.announceNew = announceNew;
    this.personal = { is_host: false, dots_left: 0, my_votes: {} };
    this.dotsPerPerson = 0;
    this.isOpen = true;
    this.ws = null;
    this.cards = new Map(); // goal id -> card element
    this.questions = new Map(); // question index -> block
    this.known = null; // ids of the posts and goals seen so far (null: nothing rendered yet)
    this.mine = []; // texts this person just sent: not announced back to them
    this.build();
  }

  get canWrite() {
    return this.mode === "member";
  }

  get canModerate() {
    return this.mode === "facilitator" || Boolean(this.personal.is_host);
  }

  heading(offset, attrs, ...children) {
    return h(`h${Math.min(6, this.level + offset)}`, attrs, ...children);
  }

  /**
   * Run a workspace command. Refusals go next to `errorEl` (null: the page's live region; false:
   * the caller shows them); `not_in_group` (I was moved) makes the phone follow its new group.
   */
  async act(name, payload, errorEl = null) {
    // goals and posts name their group themselves; only the summary needs the facilitators' group_id
    const body = this.mode === "facilitator" && name === "workspace.summary" ? { ...payload, group_id: this.groupId } : payload;
    const ack = await this.live.command(name, body);
    if (!ack.ok) {
      const message = t("error", { message: ack.error?.message || "" });
      if (errorEl) errorEl.textContent = message;
      else if (errorEl !== false) announce(message);
      if (ack.error?.code === "not_in_group") this.onNotInGroup();
    } else if (errorEl) {
      errorEl.textContent = "";
    }
    return ack;
  }

  /** A write by this person: remember its text so the announcement of new posts skips it. */
  async write(name, payload, text) {
    this.mine.push(text);
    if (this.mine.length > 20) this.mine.shift();
    return this.act(name, payload, false); // postForm shows the refusal next to the form
  }

  build() {
    const ids = { name: nextId("bo-name"), goals: nextId("bo-goals"), practices: nextId("bo-practices"),
      questions: nextId("bo-questions"), propose: nextId("bo-propose"), host: nextId("bo-host") };
    this.ids = ids;
    this.nameEl = this.heading(0, { id: ids.name, class: "bo-group-name" });
    this.roundEl = h("p", { class: "eyebrow bo-round" });
    this.descriptionEl = h("p", { class: "bo-description" });
    this.hostEl = h("p", { class: "bo-host subtle" });
    this.roomEl = h("p", { class: "bo-room", hidden: true });
    this.closedEl = h("p", { class: "closed-note", hidden: true }, t("breakout.closed"));
    this.handoverEl = h("section", { class: "bo-handover", hidden: true, "aria-labelledby": `${ids.name}-handover` },
      this.heading(1, { id: `${ids.name}-handover` }, t("breakout.handover")),
      h("div", { "data-handover-list": true }));
    this.dotsLeftEl = h("p", { class: "bo-dots-left", "aria-live": "polite" });
    this.goalsEl = h("ul", { class: "bo-goals", "aria-labelledby": ids.goals });
    this.hiddenCountEl = h("p", { class: "subtle", hidden: true });

    const sections = [
      h("header", { class: "bo-head" }, this.roundEl, this.nameEl, this.descriptionEl, this.hostEl, this.roomEl, this.closedEl),
      this.handoverEl,
      h("section", { class: "bo-section", "aria-labelledby": ids.goals },
        this.heading(1, { id: ids.goals }, t("breakout.goals")),
        this.canWrite ? h("p", { class: "hint" }, t("breakout.goals_hint")) : "",
        this.canWrite ? this.dotsLeftEl : "",
        this.hiddenCountEl,
        this.goalsEl),
    ];

    if (this.canWrite) {
      this.proposeForm = postForm({
        fields: [{ name: "text", label: t("breakout.goal_text"), max: LIMITS.goal, required: true, multiline: true, rows: 3 }],
        submitLabel: t("breakout.propose_send"),
        onSubmit: (v) => this.write("workspace.goal.propose", { text: v.text }, v.text),
      });
      sections.push(h("section", { class: "bo-section", "aria-labelledby": ids.propose },
        this.heading(1, { id: ids.propose }, t("breakout.propose")), this.proposeForm));
    }

    this.practicesEl = h("ul", { class: "bo-posts bo-practices" });
    this.practicesEmpty = h("p", { class: "subtle" }, t("breakout.no_practices"));
    const practiceSection = h("section", { class: "bo-section", "aria-labelledby": ids.practices },
      this.heading(1, { id: ids.practices }, t("breakout.practices")),
      h("p", { class: "hint" }, t("breakout.practices_hint")),
      this.practicesEmpty, this.practicesEl);
    if (this.canWrite) {
      this.practiceForm = postForm({
        fields: [
          { name: "title", label: t("breakout.practice_title"), max: LIMITS.title, required: true },
          { name: "organisation", label: t("breakout.practice_organisation"), max: LIMITS.organisation },
          { name: "text", label: t("breakout.practice_text"), max: LIMITS.practice, multiline: true, rows: 3 },
          { name: "link", label: t("breakout.practice_link"), max: 500, type: "url", hint: t("breakout.link_hint") },
        ],
        submitLabel: t("breakout.practice_send"),
        onSubmit: (v) => {
          const payload = { title: v.title };
          if (v.organisation) payload.organisation = v.organisation;
          if (v.text) payload.text = v.text;
          if (v.link) payload.link = v.link;
          return this.write("workspace.practice.add", payload, v.text || v.title);
        },
      });
      practiceSection.append(h("details", { class: "bo-add" },
        h("summary", {}, t("breakout.practice_add")), this.practiceForm));
    }
    sections.push(practiceSection);

    this.questionsEl = h("div", { class: "bo-questions" });
    sections.push(h("section", { class: "bo-section", "aria-labelledby": ids.questions },
      this.heading(1, { id: ids.questions }, t("breakout.questions")), this.questionsEl));

    // the host's (and the facilitators') part: the summary of the round for the plenary
    this.summaryText = h("textarea", { id: `${ids.host}-text`, name: "summary", rows: 5, maxlength: LIMITS.summary,
      "aria-describedby": `${ids.host}-hint` });
    this.summaryText.addEventListener("input", () => (this.summaryText.dataset.dirty = "true"));
    this.summaryError = h("p", { class: "error bo-form-error", role: "alert" });
    this.summaryStatus = h("p", { class: "bo-form-status", role: "status" });
    this.summaryForm = h("form", { class: "bo-form" },
      h("div", { class: "field" },
        h("label", { for: `${ids.host}-text` }, t("breakout.summary_label")),
        h("p", { class: "hint", id: `${ids.host}-hint` }, t("breakout.summary_hint")),
        this.summaryText),
      h("button", { type: "submit", class: "primary" }, t("breakout.summary_save")),
      this.summaryError, this.summaryStatus);
    this.summaryForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      this.summaryStatus.textContent = "";
      const ack = await this.act("workspace.summary", { text: this.summaryText.value.trim() }, this.summaryError);
      if (ack.ok) {
        delete this.summaryText.dataset.dirty;
        this.summaryStatus.textContent = t("saved");
        this.summaryText.focus();
      }
    });
    this.summaryReadEl = h("div", { class: "bo-summary-read" });
    this.hostSection = h("section", { class: "bo-section bo-host-section", "aria-labelledby": ids.host, hidden: true },
      this.heading(1, { id: ids.host }, t("breakout.summary")),
      this.summaryReadEl,
      this.summaryForm);
    sections.push(this.hostSection);

    this.root = h("div", { class: `bo-workspace bo-mode-${this.mode}` }, ...sections);
    watch(this.root, (ws) => {
      if (ws.group_id === this.groupId) this.update(ws);
    });
  }

  setOpen(isOpen, dotsPerPerson) {
    const changed = this.isOpen !== isOpen || this.dotsPerPerson !== dotsPerPerson;
    this.isOpen = isOpen;
    this.dotsPerPerson = dotsPerPerson || 0;
    if (changed && this.ws) this.update(this.ws);
  }

  // --- rendering -----------------------------------------------------------------------------

  update(ws) {
    const before = this.ws;
    this.ws = ws;
    const round = ws.round;
    this.roundEl.textContent = t("breakout.part", { n: round });
    this.nameEl.textContent = ws.name;
    this.descriptionEl.textContent = ws.description || "";
    this.descriptionEl.hidden = !ws.description;
    this.hostEl.textContent = ws.host_name ? t("group.host", { name: ws.host_name }) : "";
    this.hostEl.hidden = !ws.host_name;
    const room = safeUrl(ws.room_url);
    this.roomEl.hidden = !room;
    if (room && this.roomEl.dataset.href !== room) {
      this.roomEl.dataset.href = room;
      this.roomEl.replaceChildren(h("a", { class: "button primary bo-room-link", href: room, target: "_blank",
        rel: "noopener noreferrer" }, t("breakout.room"), h("span", { class: "visually-hidden" }, ` ${t("breakout.new_window")}`)));
    }
    const closed = this.canWrite && !this.isOpen;
    this.closedEl.hidden = !closed;
    for (const form of [this.proposeForm, this.practiceForm]) form?.setClosed(closed);

    this.renderHandover(ws);
    this.renderGoals(ws);
    this.renderPosts(this.practicesEl, ws.practices || [], round, "practice");
    this.practicesEmpty.hidden = Boolean((ws.practices || []).length);
    this.renderQuestions(ws);
    this.renderSummary(ws);
    this.hiddenCountEl.hidden = !(this.canModerate && ws.hidden_count);
    this.hiddenCountEl.textContent = t("hidden_count", { n: ws.hidden_count || 0 });
    // a live region: only a real change is read out, not every update of the workspace
    const dotsLeft = t("breakout.dots_left", { n: this.personal.dots_left ?? 0, total: this.dotsPerPerson });
    if (this.canWrite && this.dotsLeftEl.textContent !== dotsLeft) this.dotsLeftEl.textContent = dotsLeft;
    this.announceNewPosts(ws, before);
  }

  renderHandover(ws) {
    const earlier = (ws.summaries || []).filter((s) => s.round < ws.round && s.text);
    this.handoverEl.hidden = !earlier.length;
    $("[data-handover-list]", this.handoverEl).replaceChildren(...earlier.map((s) =>
      h("div", { class: "bo-summary" },
        h("p", { class: "bo-badge bo-badge-earlier" }, t("breakout.from_round", { n: s.round })),
        h("p", { class: "bo-summary-text" }, s.text))));
  }

  renderSummary(ws) {
    const current = (ws.summaries || []).find((s) => s.round === ws.round);
    // the host writes the summary; the group and the facilitators read it
    this.hostSection.hidden = !this.canModerate && !current?.text;
    const writes = this.mode === "member" && this.canModerate;
    this.summaryForm.hidden = !writes;
    this.summaryReadEl.hidden = writes;
    if (!writes) {
      this.summaryReadEl.replaceChildren(current?.text
        ? h("p", { class: "bo-summary-text" }, current.text)
        : h("p", { class: "subtle" }, t("breakout.no_summary")));
    } else if (this.summaryText.dataset.dirty !== "true" && document.activeElement !== this.summaryText) {
      this.summaryText.value = current?.text || "";
    }
  }

  postItem(post, round) {
    const earlier = post.round < round;
    const link = safeUrl(post.link);
    const label = shortText(post.title || post.text || "");
    return h("li", { class: `bo-post${post.is_hidden ? " is-hidden" : ""}${earlier ? " is-earlier" : ""}`, "data-post-id": String(post.id) },
      earlier || post.is_hidden ? h("p", { class: "bo-badges" },
        earlier ? h("span", { class: "bo-badge bo-badge-earlier" }, t("breakout.from_round", { n: post.round })) : "",
        post.is_hidden ? h("span", { class: "badge" }, t("hidden")) : "") : "",
      post.title ? h("p", { class: "bo-post-title" }, post.title) : "",
      post.organisation ? h("p", { class: "bo-post-org" }, post.organisation) : "",
      post.text ? h("p", { class: "bo-post-text" }, post.text) : "",
      link ? h("p", { class: "bo-post-link" }, h("a", { href: link, target: "_blank", rel: "noopener noreferrer nofollow" }, link)) : "",
      h("p", { class: "bo-post-meta subtle" }, post.author || t("anonymous")),
      this.canModerate ? h("p", { class: "bo-post-tools" },
        h("button", { type: "button", class: "small", "data-focus-key": `post-hide-${post.id}`,
          onclick: () => this.act("workspace.post.hide", { post_id: post.id, hidden: !post.is_hidden }) },
        post.is_hidden ? t("show") : t("hide"), h("span", { class: "visually-hidden" }, `: ${label}`))) : "");
  }

  renderPosts(list, posts, round, kind) {
    preserveFocus(list, () => list.replaceChildren(...posts.map((p) => this.postItem(p, round))));
    list.dataset.kind = kind;
  }

  // goals ----------------------------------------------------------------------------------------

  visibleGoals(ws) {
    return (ws.goals || []).filter((g) => !g.merged_into_id && (this.canModerate || !g.is_hidden));
  }

  renderGoals(ws) {
    const goals = this.visibleGoals(ws);
    const keep = new Set(goals.map((g) => g.id));
    for (const [id, card] of this.cards) {
      if (!keep.has(id)) {
        card.remove();
        this.cards.delete(id);
      }
    }
    goals.forEach((goal, index) => {
      let card = this.cards.get(goal.id);
      if (!card) {
        card = this.goalCard(goal);
        this.cards.set(goal.id, card);
      }
      // move only what is out of place: moving a node would take the keyboard focus away
      if (this.goalsEl.children[index] !== card) this.goalsEl.insertBefore(card, this.goalsEl.children[index] || null);
      this.updateGoalCard(card, goal, ws);
    });
  }

  goalCard(goal) {
    const id = nextId(`goal-${goal.id}`);
    const card = h("li", { class: "bo-goal", "data-goal-id": String(goal.id) });
    const parts = {
      text: this.heading(2, { class: "bo-goal-text", id: `${id}-text` }),
      badges: h("p", { class: "bo-badges" }),
      merged: h("p", { class: "bo-merged subtle", hidden: true }),
      dots: h("span", { class: "bo-dots-count" }),
      minus: h("button", { type: "button", class: "bo-dot-button", "data-focus-key": `${id}-minus` }, "−",
        h("span", { class: "visually-hidden", "data-label": true })),
      plus: h("button", { type: "button", class: "bo-dot-button", "data-focus-key": `${id}-plus` }, "+",
        h("span", { class: "visually-hidden", "data-label": true })),
      dotError: h("p", { class: "error bo-form-error", role: "alert" }),
      comments: h("ul", { class: "bo-posts" }),
      rewordings: h("ul", { class: "bo-posts" }),
      commentsSummary: h("summary", {}),
      rewordingsSummary: h("summary", {}),
    };
    card.parts = parts;
    parts.minus.addEventListener("click", () => this.vote(card, "workspace.unvote"));
    parts.plus.addEventListener("click", () => this.vote(card, "workspace.vote"));
    const dotsRow = h("div", { class: "bo-dots", role: "group", "aria-labelledby": `${id}-text` },
      this.canWrite ? parts.minus : "", parts.dots, this.canWrite ? parts.plus : "");
    const commentList = h("details", { class: "bo-thread", "data-thread": "comments" }, parts.commentsSummary, parts.comments);
    const rewordList = h("details", { class: "bo-thread", "data-thread": "rewordings" }, parts.rewordingsSummary, parts.rewordings);
    if (this.canWrite) {
      parts.commentForm = postForm({
        fields: [{ name: "text", label: t("breakout.comment_label"), max: LIMITS.comment, required: true, multiline: true }],
        submitLabel: t("breakout.comment_send"),
        onSubmit: (v) => this.write("workspace.comment", { goal_id: Number(card.dataset.goalId), text: v.text }, v.text),
      });
      parts.rewordForm = postForm({
        fields: [{ name: "text", label: t("breakout.reword_label"), max: LIMITS.rewording, required: true, multiline: true, rows: 3 }],
        submitLabel: t("breakout.reword_send"),
        onSubmit: (v) => this.write("workspace.reword", { goal_id: Number(card.dataset.goalId), text: v.text }, v.text),
      });
      commentList.append(parts.commentForm);
      rewordList.append(parts.rewordForm);
    }
    // host tools: Ergebnis, merge into another goal, hide
    parts.resultButton = h("button", { type: "button", class: "small", "data-focus-key": `${id}-result` });
    parts.hideButton = h("button", { type: "button", class: "small", "data-focus-key": `${id}-hide` });
    parts.mergeSelect = h("select", { id: `${id}-merge`, "data-focus-key": `${id}-merge` });
    parts.mergeButton = h("button", { type: "button", class: "small", "data-focus-key": `${id}-merge-go` }, t("cluster.merge"));
    parts.hostError = h("p", { class: "error bo-form-error", role: "alert" });
    parts.resultButton.addEventListener("click", () => {
      const goal = card.goal;
      this.act("workspace.goal.result", { goal_id: goal.id, is_result: !goal.is_result }, parts.hostError);
    });
    parts.hideButton.addEventListener("click", () => {
      const goal = card.goal;
      this.act("workspace.goal.hide", { goal_id: goal.id, hidden: !goal.is_hidden }, parts.hostError);
    });
    parts.mergeButton.addEventListener("click", () => {
      const into = Number(parts.mergeSelect.value);
      if (!into) {
        parts.hostError.textContent = t("breakout.merge_choose");
        parts.mergeSelect.focus();
        return;
      }
      this.act("workspace.goal.merge", { goal_id: card.goal.id, into_goal_id: into }, parts.hostError);
    });
    parts.hostTools = h("div", { class: "bo-host-tools", role: "group", "aria-label": t("breakout.host_tools") },
      h("div", { class: "controls" }, parts.resultButton, parts.hideButton),
      h("div", { class: "bo-merge" },
        h("label", { for: `${id}-merge` }, t("breakout.merge_into")), parts.mergeSelect, parts.mergeButton),
      parts.hostError);
    card.append(h("article", { class: "bo-goal-body", "aria-labelledby": `${id}-text` },
      parts.badges, parts.text, parts.merged, dotsRow, parts.dotError, commentList, rewordList, parts.hostTools));
    return card;
  }

  updateGoalCard(card, goal, ws) {
    const p = card.parts;
    card.goal = goal;
    card.dataset.goalId = String(goal.id);
    card.classList.toggle("is-result", Boolean(goal.is_result));
    card.classList.toggle("is-hidden", Boolean(goal.is_hidden));
    p.text.textContent = goal.text;
    const label = shortText(goal.text);
    const earlierProposal = goal.origin === "participant" && goal.proposed_in_round && goal.proposed_in_round < ws.round;
    p.badges.replaceChildren(
      goal.is_result ? h("span", { class: "bo-badge bo-badge-result" }, t("breakout.result")) : "",
      goal.origin === "participant" ? h("span", { class: "bo-badge bo-badge-new" },
        earlierProposal ? t("breakout.proposed_in", { n: goal.proposed_in_round }) : t("breakout.proposed")) : "",
      goal.is_hidden ? h("span", { class: "badge" }, t("hidden")) : "");
    p.badges.hidden = !p.badges.childNodes.length;
    // the duplicates merged into this goal (the server folds them in as `merged`)
    const mergedFrom = goal.merged || (ws.goals || []).filter((g) => g.merged_into_id === goal.id);
    p.merged.hidden = !mergedFrom.length;
    p.merged.textContent = mergedFrom.length ? t("breakout.merged_from", { goals: mergedFrom.map((g) => `„${shortText(g.text)}“`).join(", ") }) : "";

    const mine = Number(this.personal.my_votes?.[String(goal.id)] || 0);
    p.dots.replaceChildren(
      h("span", { class: "bo-dots-total" }, counted("breakout.dots", goal.dots ?? 0)),
      this.canWrite && mine ? h("span", { class: "bo-dots-mine" }, ` · ${t("breakout.dots_mine", { n: mine })}`) : "",
      ws.round > 1 && goal.dots_this_round !== goal.dots
        ? h("span", { class: "subtle" }, ` · ${t("breakout.dots_round", { n: goal.dots_this_round ?? 0, round: ws.round })}`) : "");
    const focused = document.activeElement;
    p.minus.disabled = !this.isOpen || mine <= 0;
    p.plus.disabled = !this.isOpen || (this.personal.dots_left ?? 0) <= 0 || goal.is_hidden;
    // the last dot given (or taken back) disables the pressed button: keep the keyboard on the goal
    if (focused === p.plus && p.plus.disabled && !p.minus.disabled) p.minus.focus();
    if (focused === p.minus && p.minus.disabled && !p.plus.disabled) p.plus.focus();
    $("[data-label]", p.minus).textContent = ` ${t("breakout.unvote", { goal: label })}`;
    $("[data-label]", p.plus).textContent = ` ${t("breakout.vote", { goal: label })}`;

    const comments = goal.comments || [];
    const rewordings = goal.rewordings || [];
    p.commentsSummary.textContent = t("breakout.comments", { n: comments.length });
    p.rewordingsSummary.textContent = t("breakout.rewordings", { n: rewordings.length });
    this.renderPosts(p.comments, comments, ws.round, "comment");
    this.renderPosts(p.rewordings, rewordings, ws.round, "rewording");
    p.commentForm?.setClosed(!this.isOpen);
    p.rewordForm?.setClosed(!this.isOpen);

    p.hostTools.hidden = !this.canModerate;
    if (this.canModerate) {
      // a toggle: the label stays, aria-pressed (and its look) tells the state
      p.resultButton.textContent = t("breakout.mark_result");
      p.resultButton.setAttribute("aria-pressed", goal.is_result ? "true" : "false");
      p.resultButton.append(h("span", { class: "visually-hidden" }, `: ${label}`));
      p.hideButton.textContent = goal.is_hidden ? t("show") : t("hide");
      p.hideButton.append(h("span", { class: "visually-hidden" }, `: ${label}`));
      // merging is the host's tidying; the cockpit keeps to hiding and results
      const merges = this.mode === "member";
      p.mergeSelect.parentElement.hidden = !merges;
      if (merges) {
        const others = this.visibleGoals(ws).filter((g) => g.id !== goal.id);
        const signature = others.map((g) => `${g.id}:${g.text}`).join("|");
        if (p.mergeSelect.dataset.signature !== signature && document.activeElement !== p.mergeSelect) {
          const chosen = p.mergeSelect.value;
          p.mergeSelect.dataset.signature = signature;
          p.mergeSelect.replaceChildren(h("option", { value: "" }, t("breakout.merge_none")),
            ...others.map((g) => h("option", { value: String(g.id), selected: String(g.id) === chosen }, shortText(g.text, 80))));
        }
        p.mergeButton.disabled = !others.length;
      }
    }
  }

  async vote(card, name) {
    const p = card.parts;
    const ack = await this.act(name, { goal_id: card.goal.id }, p.dotError);
    if (ack.ok) {
      this.personal.dots_left = ack.dots_left;
      if (ack.my_votes) this.personal.my_votes = ack.my_votes;
      if (this.ws) this.update(this.ws);
    }
  }

  // guiding questions ------------------------------------------------------------------------------

  renderQuestions(ws) {
    const questions = ws.questions || [];
    const answers = new Map((ws.answers || []).map((a) => [a.question_index, a.items || []]));
    questions.forEach((question, index) => {
      let block = this.questions.get(index);
      if (!block) {
        const id = nextId(`question-${index}`);
        block = h("section", { class: "bo-question", "aria-labelledby": id });
        block.parts = { heading: this.heading(2, { id }), list: h("ul", { class: "bo-posts" }),
          empty: h("p", { class: "subtle" }, t("poll.no_answers")) };
        block.append(block.parts.heading, block.parts.empty, block.parts.list);
        if (this.canWrite) {
          block.parts.form = postForm({
            fields: [{ name: "text", label: t("breakout.answer_label"), max: LIMITS.answer, required: true, multiline: true, rows: 3 }],
            submitLabel: t("breakout.answer_send"),
            onSubmit: (v) => this.write("workspace.answer", { question_index: index, text: v.text }, v.text),
          });
          block.append(h("details", { class: "bo-add" }, h("summary", {}, t("breakout.answer_add")), block.parts.form));
        }
        this.questions.set(index, block);
        this.questionsEl.append(block);
      }
      block.parts.heading.textContent = `${index + 1}. ${question}`;
      const items = answers.get(index) || [];
      block.parts.empty.hidden = Boolean(items.length);
      this.renderPosts(block.parts.list, items, ws.round, "answer");
      block.parts.form?.setClosed(!this.isOpen);
    });
  }

  // announcements ----------------------------------------------------------------------------------

  allPosts(ws) {
    const posts = [...(ws.practices || [])];
    for (const goal of ws.goals || []) posts.push(...(goal.comments || []), ...(goal.rewordings || []));
    for (const answer of ws.answers || []) posts.push(...(answer.items || []));
    return posts;
  }

  /** New posts by others are announced politely, once per update (not per keystroke or per post). */
  announceNewPosts(ws, before) {
    const posts = this.allPosts(ws);
    const goals = (ws.goals || []).filter((g) => g.origin === "participant");
    const ids = new Set([...posts.map((p) => `p${p.id}`), ...goals.map((g) => `g${g.id}`)]);
    const known = this.known;
    this.known = ids;
    if (!this.announceNew || known === null || !before) return;
    const fresh = [...posts.filter((p) => !known.has(`p${p.id}`)), ...goals.filter((g) => !known.has(`g${g.id}`))]
      .filter((item) => {
        const text = item.text || item.title || "";
        const index = this.mine.indexOf(text);
        if (index === -1) return true;
        this.mine.splice(index, 1); // my own contribution coming back
        return false;
      });
    if (!fresh.length) return;
    announce(fresh.length === 1
      ? t("breakout.new_post", { text: shortText(fresh[0].title || fresh[0].text || "", 80) })
      : t("breakout.new_posts", { n: fresh.length }));
  }
}

// --- phones ---------------------------------------------------------------------------------------

const phones = new WeakMap(); // container -> state of the phone's breakout

async function follow(state) {
  const token = (state.followToken = (state.followToken || 0) + 1);
  const ack = await state.live.command("workspace.follow", {});
  if (token !== state.followToken || !state.container.isConnected) return;
  const message = $("[data-bo-message]", state.container);
  if (!ack.ok) {
    message.hidden = false;
    message.textContent = t("error", { message: ack.error?.message || "" });
    return;
  }
  showPersonal(state, ack.personal);
}

/** Show my part: my group's workspace, or the note that I have no group. */
function showPersonal(state, personal) {
  const message = $("[data-bo-message]", state.container);
  const holder = $("[data-bo-workspace]", state.container);
  if (!personal) {
    // the breakout is not running (any more): the next snapshot brings the plenary back
    message.hidden = false;
    message.textContent = t("breakout.not_running");
    return;
  }
  const groupId = personal.group_id ?? null;
  if (groupId === null) {
    state.view = null;
    holder.replaceChildren();
    holder.hidden = true;
    delete state.container.dataset.workspaceGroupId;
    message.hidden = false;
    message.replaceChildren(h("strong", {}, t("breakout.no_group")), " ", t("breakout.no_group_hint"));
    showBroadcast(state.data);
    return;
  }
  message.hidden = true;
  message.replaceChildren();
  if (!state.view || state.view.groupId !== groupId) {
    state.view = new WorkspaceView({ live: state.live, mode: "member", groupId, level: 2, announceNew: true,
      onNotInGroup: () => follow(state) });
    holder.replaceChildren(state.view.root);
  }
  holder.hidden = false;
  // showBroadcast shows a group's message only where that group's workspace is on screen
  state.container.dataset.workspaceGroupId = String(groupId);
  const view = state.activity.view;
  state.view.setOpen(view.is_open !== false, view.dots_per_person);
  state.view.personal = { ...personal, my_votes: personal.my_votes || {} };
  accept(personal.workspace);
  const workspace = latest.get(groupId);
  if (workspace) state.view.update(workspace);
  showBroadcast(state.data);
}

export function participant(container, activity, data, live) {
  wire(live);
  let state = phones.get(container);
  if (!state || !container.firstChild) {
    state = { container, live, data: null, view: null };
    phones.set(container, state);
    followers.add(state);
    container.replaceChildren(
      h("section", { class: "card activity breakout", "aria-label": t("kind.breakout") },
        h("p", { class: "bo-message", "data-bo-message": true, role: "status" }, t("breakout.loading")),
        h("div", { "data-bo-workspace": true, hidden: true })),
    );
  }
  state.activity = activity;
  if (state.data !== data) {
    // first render, or a fresh snapshot after a reconnect: (re)subscribe and get my part again;
    // a snapshot may already carry my part (me.activity): show it meanwhile
    state.data = data;
    const mine = data.me?.activity;
    if (mine && "group_id" in mine && activity.item_id === data.agenda?.current_id) showPersonal(state, mine);
    follow(state);
  }
  if (state.view) state.view.setOpen(activity.view.is_open !== false, activity.view.dots_per_person);
}

// --- projector ------------------------------------------------------------------------------------

export function screen(container, activity) {
  const view = activity.view;
  const groups = view.groups || [];
  const ids = groups.map((g) => g.id).join(",");
  if (!container.firstChild || container.dataset.groupIds !== ids) {
    container.dataset.groupIds = ids;
    container.replaceChildren(
      h("section", { class: "activity breakout-screen" },
        h("p", { class: "bo-screen-state", "data-bo-state": true }),
        h("ul", { class: "bo-tiles" },
          ...groups.map((g) => h("li", { class: "bo-tile", "data-group-id": String(g.id) },
            h("h2", { class: "bo-tile-name" }, g.name),
            h("p", { class: "bo-tile-host", "data-host": true }),
            h("p", { class: "bo-tile-numbers" },
              h("span", { "data-members": true }), h("span", { "data-contributions": true })),
            h("span", { class: "bo-tile-track", "aria-hidden": "true" }, h("span", { class: "bo-tile-fill", "data-fill": true })),
            h("p", { class: "bo-tile-summary", "data-summary": true, hidden: true }, t("breakout.has_summary")))))),
    );
  }
  $("[data-bo-state]", container).textContent = `${t("breakout.part", { n: view.round })} · ${t("breakout.screen_hint")}`;
  const most = Math.max(1, ...groups.map((g) => g.contribution_count || 0));
  for (const group of groups) {
    const tile = container.querySelector(`[data-group-id="${group.id}"]`);
    $("[data-host]", tile).textContent = group.host_name ? t("group.host", { name: group.host_name }) : "";
    $("[data-members]", tile).textContent = counted("breakout.members", group.member_count ?? 0);
    $("[data-contributions]", tile).textContent = counted("breakout.contributions", group.contribution_count ?? 0);
    $("[data-fill]", tile).style.width = `${Math.round((100 * (group.contribution_count || 0)) / most)}%`;
    $("[data-summary]", tile).hidden = !group.has_summary;
  }
}

// --- cockpit --------------------------------------------------------------------------------------

const cockpits = new WeakMap();



function groupRow(group, state) {
  const id = `bo-row-${group.id}`;
  const parts = {
    members: h("td", {}),
    contributions: h("td", {}),
    hostSelect: h("select", { id: `${id}-host`, "data-focus-key": `${id}-host` }),
    hostButton: h("button", { type: "button", class: "small", "data-focus-key": `${id}-host-go` }, t("breakout.assign"),
      h("span", { class: "visually-hidden" }, `: ${group.name}`)),
    hostLink: h("input", { id: `${id}-link`, class: "copy-field", readonly: true, "data-focus-key": `${id}-link` }),
    copyButton: h("button", { type: "button", class: "small", "data-focus-key": `${id}-copy` }, t("breakout.copy"),
      h("span", { class: "visually-hidden" }, `: ${t("breakout.host_link")} ${group.name}`)),
    room: h("td", {}),
  };
  parts.hostButton.addEventListener("click", () => {
    const value = parts.hostSelect.value;
    state.act("group.host.assign", { group_id: group.id, participant_id: value ? Number(value) : null },
      t("breakout.host_assigned"));
  });
  parts.copyButton.addEventListener("click", async () => {
    announce((await copyText(parts.hostLink)) ? t("breakout.copied") : t("breakout.copy_manually"));
  });
  const row = h("tr", { "data-group-id": String(group.id) },
    h("th", { scope: "row" }, group.name),
    parts.members,
    parts.contributions,
    h("td", {}, h("div", { class: "bo-host-cell" },
      h("label", { for: `${id}-host`, class: "visually-hidden" }, t("breakout.host_for", { name: group.name })),
      parts.hostSelect, parts.hostButton)),
    h("td", {}, h("div", { class: "bo-link-cell" },
      h("label", { for: `${id}-link`, class: "visually-hidden" }, `${t("breakout.host_link")}: ${group.name}`),
      parts.hostLink, parts.copyButton)),
    parts.room,
    h("td", {}, h("button", { type: "button", class: "small", "data-focus-key": `${id}-view`,
      onclick: () => state.select(group.id, true) }, t("breakout.look"), h("span", { class: "visually-hidden" }, `: ${group.name}`))));
  row.parts = parts;
  return row;
}

function updateRow(row, group) {
  const p = row.parts;
  p.members.textContent = String(group.member_count ?? 0);
  p.contributions.replaceChildren(String(group.contribution_count ?? 0),
    group.has_summary ? h("span", { class: "subtle" }, ` · ${t("breakout.has_summary")}`) : "");
  const members = group.members || [];
  const signature = `${group.host_participant_id}|${members.map((m) => `${m.participant_id}:${m.name}`).join(",")}`;
  if (p.hostSelect.dataset.signature !== signature && document.activeElement !== p.hostSelect) {
    p.hostSelect.dataset.signature = signature;
    p.hostSelect.replaceChildren(
      h("option", { value: "", selected: !group.host_participant_id }, t("breakout.no_host")),
      ...members.map((m) => h("option", { value: String(m.participant_id), selected: m.participant_id === group.host_participant_id },
        m.name || `${t("anonymous")} #${m.participant_id}`)));
    // a host who is not (or no longer) a member of the group still shows
    if (group.host_participant_id && !members.some((m) => m.participant_id === group.host_participant_id)) {
      p.hostSelect.append(h("option", { value: String(group.host_participant_id), selected: true }, group.host_name || t("anonymous")));
    }
  }
  // some updates come without the link (null): keep the one we had
  if (group.host_link) p.hostLink.value = absolute(group.host_link);
  p.hostLink.hidden = !p.hostLink.value;
  p.copyButton.hidden = !p.hostLink.value;
  const room = safeUrl(group.room_url);
  if (p.room.dataset.href !== (room || "")) {
    p.room.dataset.href = room || "";
    p.room.replaceChildren(room ? h("a", { href: room, target: "_blank", rel: "noopener noreferrer" }, t("breakout.room_short"),
      h("span", { class: "visually-hidden" }, `: ${row.querySelector("th").textContent}`)) : h("span", { class: "subtle" }, "–"));
  }
}

/**
 * People online without a group in this round (they see "ask the facilitation team"): a select
 * and a button each to put them into a group. Rows are kept per person, so a chosen group
 * survives the presence updates.
 */
function renderUndecided(state, data, groups, round) {
  const list = $("[data-bo-undecided]", state.container);
  const members = new Set(groups.flatMap((g) => (g.members || []).map((m) => m.participant_id)));
  const people = (data.presence?.participants || []).filter((p) => !members.has(p.id));
  $("[data-bo-undecided-count]", state.container).textContent = `(${people.length})`;
  state.undecided = state.undecided || new Map();
  const groupIds = groups.map((g) => g.id).join(",");
  const keep = new Set(people.map((p) => p.id));
  for (const [id, row] of state.undecided) {
    if (!keep.has(id) || row.dataset.groups !== groupIds) {
      row.remove();
      state.undecided.delete(id);
    }
  }
  people.forEach((person, index) => {
    let row = state.undecided.get(person.id);
    if (!row) {
      const name = person.display_name || t("anonymous");
      const id = `bo-undecided-${person.id}`;
      const select = h("select", { id, "data-focus-key": id },
        ...groups.map((g) => h("option", { value: String(g.id) }, g.name)));
      row = h("li", { class: "group-person", "data-groups": groupIds },
        h("span", {}, name, person.organisation ? h("span", { class: "subtle" }, ` · ${person.organisation}`) : ""),
        h("label", { for: id, class: "visually-hidden" }, t("group.move_label", { name })),
        select,
        h("button", { type: "button", class: "small", "data-focus-key": `${id}-go`, onclick: () => {
          const group = groups.find((g) => String(g.id) === select.value);
          state.act("group.move", { participant_id: person.id, group_id: Number(select.value), round },
            t("breakout.moved", { name, group: group ? group.name : "" }));
        } }, t("breakout.assign"), h("span", { class: "visually-hidden" }, `: ${name}`)));
      state.undecided.set(person.id, row);
    }
    if (list.children[index] !== row) list.insertBefore(row, list.children[index] || null);
  });
}

export function cockpit(container, activity, data, live) {
  wire(live);
  const view = activity.view;
  const groups = view.groups || [];
  let state = cockpits.get(container);
  if (!state || !container.firstChild) {
    const act = async (name, payload, success) => {
      const ack = await live.command(name, payload);
      if (!ack.ok) announce(t("error", { message: ack.error?.message || "" }));
      else if (success) announce(success);
      return ack;
    };
    state = { container, live, act, rows: new Map(), selected: null, viewer: null, groups };
    cockpits.set(container, state);

    // "Zurück ins Plenum" asks first (a <dialog>, not window.confirm: it stays in the page's style)
    const dialog = h("dialog", { class: "bo-recall-dialog", "aria-labelledby": "bo-recall-title" },
      h("form", { method: "dialog", class: "stack" },
        h("h3", { id: "bo-recall-title" }, t("breakout.recall")),
        h("p", {}, t("breakout.recall_confirm")),
        h("div", { class: "controls" },
          h("button", { type: "submit", value: "cancel" }, t("poll.cancel")),
          h("button", { type: "submit", value: "recall", class: "primary", "data-bo-recall-confirm": true }, t("breakout.recall")))));
    dialog.addEventListener("close", () => {
      if (dialog.returnValue === "recall") act("breakout.recall", {});
    });

    const targetSelect = h("select", { id: "bo-broadcast-target", name: "group" });
    const text = h("textarea", { id: "bo-broadcast-text", name: "text", rows: 2, maxlength: LIMITS.broadcast, required: true });
    const send = async (message) => {
      const payload = { text: message };
      if (targetSelect.value) payload.group_id = Number(targetSelect.value);
      const name = targetSelect.value ? targetSelect.selectedOptions[0].textContent : t("breakout.all_groups");
      return act("broadcast.send", payload, t("breakout.broadcast_sent", { target: name }));
    };
    const form = h("form", { class: "stack bo-broadcast-form", "data-bo-broadcast-form": true },
      h("div", { class: "field" }, h("label", { for: "bo-broadcast-target" }, t("breakout.broadcast_to")), targetSelect),
      h("div", { class: "field" }, h("label", { for: "bo-broadcast-text" }, t("message")), text),
      h("div", { class: "controls" },
        h("button", { type: "submit" }, t("send")),
        h("button", { type: "button", "data-bo-quick": "5", onclick: () => send(t("minutes_left", { n: 5 })) },
          t("minutes_left", { n: 5 })),
        h("button", { type: "button", "data-bo-quick": "1", onclick: () => send(t("one_minute_left")) },
          t("one_minute_left"))));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!text.value.trim()) return;
      const ack = await send(text.value.trim());
      if (ack.ok) text.value = "";
      text.focus();
    });

    const selectViewer = h("select", { id: "bo-view-group", "data-bo-view-select": true });
    selectViewer.addEventListener("change", () => state.select(Number(selectViewer.value), false));

    container.replaceChildren(
      h("section", { class: "card activity breakout-cockpit", "aria-labelledby": "bo-cockpit-heading" },
        h("div", { class: "title-row" },
          h("h2", { id: "bo-cockpit-heading" }, t("breakout.cockpit_heading", { n: view.round })),
          h("button", { type: "button", class: "primary bo-recall", "data-bo-recall": true,
            onclick: () => { dialog.returnValue = ""; dialog.showModal(); } }, t("breakout.recall"))),
        h("p", { class: "hint" }, t("breakout.recall_hint")),
        dialog,
        h("div", { class: "table-wrap" },
          h("table", { class: "agenda-table bo-groups-table" },
            h("caption", { class: "visually-hidden" }, t("breakout.groups_caption")),
            h("thead", {}, h("tr", {},
              h("th", { scope: "col" }, t("breakout.group")),
              h("th", { scope: "col" }, t("breakout.members_col")),
              h("th", { scope: "col" }, t("breakout.contributions_col")),
              h("th", { scope: "col" }, t("breakout.host_col")),
              h("th", { scope: "col" }, t("breakout.host_link")),
              h("th", { scope: "col" }, t("breakout.room_col")),
              h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, t("breakout.look"))))),
            h("tbody", { "data-bo-rows": true }))),
        h("section", { class: "bo-undecided", "aria-labelledby": "bo-undecided-heading" },
          h("h3", { id: "bo-undecided-heading" }, t("group.undecided"), " ", h("span", { "data-bo-undecided-count": true })),
          h("p", { class: "hint" }, t("breakout.undecided_hint")),
          h("ul", { class: "group-people", "data-bo-undecided": true })),
        h("div", { class: "bo-cockpit-grid" },
          h("section", { "aria-labelledby": "bo-broadcast-heading" },
            h("h3", { id: "bo-broadcast-heading" }, t("breakout.broadcast")), form,
            h("h4", {}, t("breakout.broadcast_log")),
            h("ol", { class: "broadcast-log", "data-bo-broadcast-log": true })),
          h("section", { class: "bo-viewer", "aria-labelledby": "bo-viewer-heading" },
            h("h3", { id: "bo-viewer-heading" }, t("breakout.viewer")),
            h("div", { class: "field" }, h("label", { for: "bo-view-group" }, t("breakout.group")), selectViewer),
            h("p", { class: "hint" }, t("breakout.viewer_hint")),
            h("div", { "data-bo-viewer": true, "aria-live": "off" })))),
    );

    state.select = async (groupId, focus) => {
      const holder = $("[data-bo-viewer]", container);
      if (state.selected !== groupId || !state.viewer) {
        state.selected = groupId;
        selectViewer.value = String(groupId);
        state.viewer = new WorkspaceView({ live, mode: "facilitator", groupId, level: 4 });
        holder.replaceChildren(state.viewer.root);
        const cached = latest.get(groupId);
        if (cached) state.viewer.update(cached);
        else holder.prepend(h("p", { class: "subtle", "data-bo-loading": true }, t("breakout.loading")));
      }
      if (focus) selectViewer.focus();
      const ack = await live.command("workspace.get", { group_id: groupId });
      $("[data-bo-loading]", holder)?.remove();
      if (!ack.ok) {
        announce(t("error", { message: ack.error?.message || "" }));
        return;
      }
      accept(ack.workspace); // the viewer watches: it updates unless it already has a newer one
    };
  }
  state.groups = groups;

  // table rows, one per group, kept while the groups stay the same
  const ids = groups.map((g) => g.id).join(",");
  const tbody = $("[data-bo-rows]", container);
  if (tbody.dataset.ids !== ids) {
    tbody.dataset.ids = ids;
    state.rows.clear();
    preserveFocus(tbody, () => tbody.replaceChildren(...groups.map((g) => {
      const row = groupRow(g, state);
      state.rows.set(g.id, row);
      return row;
    })));
    const target = $("#bo-broadcast-target", container);
    const chosen = target.value;
    target.replaceChildren(h("option", { value: "" }, t("breakout.all_groups")),
      ...groups.map((g) => h("option", { value: String(g.id), selected: String(g.id) === chosen }, g.name)));
    const viewSelect = $("[data-bo-view-select]", container);
    viewSelect.replaceChildren(...groups.map((g) => h("option", { value: String(g.id) }, g.name)));
    if (state.selected !== null) viewSelect.value = String(state.selected);
  }
  for (const group of groups) updateRow(state.rows.get(group.id), group);

  renderUndecided(state, data, groups, view.round);

  // messages sent during the breakout, with the group they went to
  const names = new Map(groups.map((g) => [g.id, g.name]));
  $("[data-bo-broadcast-log]", container).replaceChildren(...(data.broadcasts || []).slice().reverse().map((b) =>
    h("li", {}, h("span", { class: "bo-target" }, b.group_id ? b.group_name || names.get(b.group_id) || "" : t("breakout.all_groups")),
      ": ", b.text)));

  if (state.viewer) state.viewer.setOpen(view.is_open !== false, view.dots_per_person);
  if (state.selected === null && groups.length) state.select(groups[0].id, false);
  else if (state.data !== data && state.selected !== null) {
    // a fresh snapshot after a reconnect: the workspace may have moved on meanwhile
    state.select(state.selected, false);
  }
  state.data = data;
}
