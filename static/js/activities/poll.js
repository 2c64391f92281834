// Live polls: single and multiple choice (with an optional "Sonstige: …" answer), scale, ranking,
// open text with a word cloud. Phones vote; the projector shows the question, the bars or the
// word cloud and the turnout; the cockpit runs the item's polls and sees every result with the
// breakdown by organisation type. Results reach phones and projector only when the server sends
// them (live or revealed) — nothing here hides results that arrived.
//
// Every renderer builds its DOM once per poll and then updates it in place: what a participant is
// typing survives live updates, and bars change their width (CSS transition) instead of blinking.
import Sortable from "../../vendor/sortablejs-1.15.7/sortable.esm.js";
import { t } from "../live.js";
import { $, $$, announce, commander, h, preserveFocus } from "../view.js";

const MAX_TEXT = 200;
const CHOICE_KINDS = ["single_choice", "multiple_choice"];
const KINDS = ["single_choice", "multiple_choice", "scale", "ranking", "open_text"];

function currentPoll(view) {
  return view.polls.find((p) => p.id === view.current_id) || null;
}

function percent(share) {
  return `${Math.round(share * 100)} %`;
}

function scaleValues(poll) {
  const values = [];
  for (let v = poll.scale_min; v <= poll.scale_max; v += 1) values.push(v);
  return values;
}

/** The label of scale value `v`: its own label, or the label of an end. */
function scaleLabel(poll, v) {
  const labels = poll.scale_labels || [];
  const steps = poll.scale_max - poll.scale_min + 1;
  if (labels.length === steps) return labels[v - poll.scale_min] || "";
  if (labels.length === 2) return v === poll.scale_min ? labels[0] : v === poll.scale_max ? labels[1] : "";
  return "";
}

export function choiceHint(poll) {
  if (poll.kind === "single_choice") return t("poll.choose_one");
  if (poll.kind === "scale") return t("poll.scale_hint", { min: poll.scale_min, max: poll.scale_max });
  if (poll.kind === "ranking") return t("poll.rank_hint");
  if (poll.kind !== "multiple_choice") return "";
  const min = poll.min_choices || 1;
  const max = poll.max_choices || poll.options.length + (poll.allow_other ? 1 : 0);
  if (min > 1 && max === min) return t("poll.choose_exactly", { n: min });
  if (min > 1) return t("poll.choose_between", { min, max });
  return t("poll.choose_up_to", { max });
}

function turnoutText(poll) {
  if (!poll.turnout) return "";
  if (poll.turnout.eligible === undefined) return t("poll.votes", { n: poll.turnout.voters });
  return t("poll.turnout", { voters: poll.turnout.voters, eligible: poll.turnout.eligible });
}

// --- results: bars, ranking, word cloud (shared by every view) ----------------------------------

/** Rows of {key, label, value (text), share 0..1} for a bar chart; null for kinds without bars. */
function barRows(poll, results) {
  if (CHOICE_KINDS.includes(poll.kind)) {
    const rows = results.options.map((o) => ({
      key: `o${o.index}`, label: o.label, share: o.share, value: `${o.count} · ${percent(o.share)}`,
    }));
    if (results.other) {
      rows.push({ key: "other", label: t("poll.other"), share: results.other.share,
        value: `${results.other.count} · ${percent(results.other.share)}` });
    }
    return rows;
  }
  if (poll.kind === "scale") {
    return results.scale.distribution.map((d) => {
      const label = scaleLabel(poll, d.value);
      return { key: `s${d.value}`, label: label ? `${d.value} – ${label}` : String(d.value), share: d.share,
        value: `${d.count} · ${percent(d.share)}` };
    });
  }
  if (poll.kind === "ranking") {
    const top = Math.max(1, ...results.ranking.map((r) => r.points));
    return results.ranking.map((r, i) => ({
      key: `r${r.index}`, label: `${i + 1}. ${r.label}`, share: r.points / top,
      value: r.average_rank === null ? "–" : `${t("poll.points", { n: r.points })} · ${t("poll.average_rank", { rank: r.average_rank })}`,
    }));
  }
  return null;
}

/** Keep one <li> per row (so widths animate); rows may change order (ranking). */
function updateBars(list, rows) {
  const existing = new Map($$(":scope > li", list).map((li) => [li.dataset.key, li]));
  const items = rows.map((row) => {
    let li = existing.get(row.key);
    if (!li) {
      li = h("li", { class: "poll-bar", "data-key": row.key },
        h("span", { class: "poll-bar-label" }),
        h("span", { class: "poll-bar-value" }),
        h("span", { class: "poll-bar-track", "aria-hidden": "true" }, h("span", { class: "poll-bar-fill" })));
    }
    $(".poll-bar-label", li).textContent = row.label;
    $(".poll-bar-value", li).textContent = row.value;
    // CSSOM, not a style attribute: allowed by the Content-Security-Policy
    $(".poll-bar-fill", li).style.width = `${Math.max(0, Math.min(1, row.share)) * 100}%`;
    return li;
  });
  const same = items.length === list.children.length && items.every((li, i) => list.children[i] === li);
  if (!same) list.replaceChildren(...items);
}

/** A word cloud as a list: each term sized by its count (five steps). */
function updateCloud(list, terms) {
  const max = Math.max(1, ...terms.map((x) => x.count));
  list.replaceChildren(...terms.map((x) =>
    h("li", { "data-size": String(1 + Math.round((x.count / max) * 4)) },
      x.term, h("span", { class: "visually-hidden" }, ` (${x.count})`))));
}

/** The results block: bars (or the word cloud of an open-text poll), the free answers. */
function resultsBlock() {
  return h("div", { class: "poll-results" },
    h("ol", { class: "poll-bars", "data-bars": true }),
    h("p", { class: "poll-mean", "data-mean": true, hidden: true }),
    h("div", { "data-cloud-box": true, hidden: true },
      h("h4", { "data-cloud-title": true }),
      h("ul", { class: "poll-cloud", "data-cloud": true }),
      h("ul", { class: "poll-answers", "data-answers": true })));
}

function updateResults(box, poll, results, { answers = true, moderation = null } = {}) {
  const rows = barRows(poll, results);
  const bars = $("[data-bars]", box);
  bars.hidden = !rows;
  if (rows) updateBars(bars, rows);
  const mean = $("[data-mean]", box);
  mean.hidden = !(poll.kind === "scale" && results.scale.mean !== null);
  if (!mean.hidden) mean.textContent = t("poll.mean", { mean: results.scale.mean.toLocaleString(document.documentElement.lang || "de") });
  const texts = poll.kind === "open_text" ? results.text : results.other;
  const cloudBox = $("[data-cloud-box]", box);
  cloudBox.hidden = !texts || !texts.answers;
  if (cloudBox.hidden) return;
  $("[data-cloud-title]", box).textContent = poll.kind === "open_text" ? t("poll.word_cloud") : t("poll.other_answers");
  cloudBox.classList.toggle("poll-other-cloud", poll.kind !== "open_text");  // beside the bars: smaller
  updateCloud($("[data-cloud]", box), texts.top_terms);
  const list = $("[data-answers]", box);
  list.hidden = !answers;
  if (!answers) return;
  list.replaceChildren(...texts.answers.map((a) => h("li", { class: a.is_hidden ? "is-hidden" : "" },
    h("span", { class: "poll-answer-text" }, a.text),
    moderation ? moderation(a) : "")));
  if (!texts.answers.length) list.replaceChildren(h("li", { class: "subtle" }, t("poll.no_answers")));
}

// --- participant ------------------------------------------------------------------------------

function choiceInput(poll, type, name, index, label) {
  const id = `${name}-${index}`;
  return h("li", { class: "poll-choice" },
    h("input", { type, name, id, value: String(index) }),
    h("label", { for: id }, label));
}

function otherField(poll, name, type) {
  const id = `${name}-other`;
  const text = h("input", { type: "text", id: `${id}-text`, name: "other", maxlength: MAX_TEXT,
    "aria-label": t("poll.other_label"), class: "poll-other-text", autocomplete: "off" });
  const box = h("input", { type, name, id, value: "other" });
  // typing an answer chooses "Sonstige"
  text.addEventListener("input", () => {
    if (text.value.trim()) box.checked = true;
  });
  return h("li", { class: "poll-choice poll-other" }, box, h("label", { for: id }, `${t("poll.other")}:`), text);
}

function rankItem(poll, index, list) {
  const label = poll.options[index];
  const move = (delta) => {
    const items = $$(":scope > li", list);
    const li = items.find((x) => x.dataset.index === String(index));
    const at = items.indexOf(li);
    const to = at + delta;
    if (to < 0 || to >= items.length) return;
    if (delta < 0) list.insertBefore(li, items[to]);
    else list.insertBefore(li, items[to].nextSibling);
    renumber(list);
    $(`[data-move="${delta < 0 ? "up" : "down"}"]`, li).focus();
    announce(t("poll.rank_moved", { option: label, n: to + 1, total: items.length }));
  };
  return h("li", { class: "poll-rank", "data-index": String(index) },
    h("span", { class: "poll-rank-handle", "aria-hidden": "true" }, "⠿"),
    h("span", { class: "poll-rank-place", "data-place": true }),
    h("span", { class: "poll-rank-label" }, label),
    h("span", { class: "poll-rank-moves" },
      h("button", { type: "button", class: "small", "data-move": "up", onclick: () => move(-1) },
        "↑", h("span", { class: "visually-hidden" }, ` ${t("poll.move_up")}: ${label}`)),
      h("button", { type: "button", class: "small", "data-move": "down", onclick: () => move(1) },
        "↓", h("span", { class: "visually-hidden" }, ` ${t("poll.move_down")}: ${label}`))));
}

function renumber(list) {
  const items = $$(":scope > li", list);
  items.forEach((li, i) => {
    $("[data-place]", li).textContent = `${i + 1}.`;
    $('[data-move="up"]', li).disabled = i === 0;
    $('[data-move="down"]', li).disabled = i === items.length - 1;
  });
}

/** The voting form of `poll`, prefilled with my vote. */
function voteForm(poll, mine, live, onVoted) {
  const name = `poll-${poll.id}`;
  const hintId = `${name}-hint`;
  const feedback = h("p", { class: "feedback", role: "status", "data-poll-feedback": true });
  let field;
  if (poll.kind === "open_text") {
    field = h("div", { class: "field" },
      h("label", { for: `${name}-text` }, poll.question),
      h("textarea", { id: `${name}-text`, name: "text", maxlength: MAX_TEXT, rows: 3, required: true,
        "aria-describedby": hintId }),
      h("p", { class: "hint", id: hintId }, t("poll.text_hint", { n: MAX_TEXT })));
  } else {
    let body;
    if (poll.kind === "ranking") {
      const order = mine && mine.choices.length === poll.options.length ? mine.choices : poll.options.map((_o, i) => i);
      body = h("ol", { class: "poll-ranking", "data-ranking": true });
      body.append(...order.map((i) => rankItem(poll, i, body)));
      renumber(body);
      Sortable.create(body, { handle: ".poll-rank-handle", animation: 150, onEnd: () => renumber(body) });
    } else if (poll.kind === "scale") {
      body = h("ul", { class: "poll-choices poll-scale" },
        ...scaleValues(poll).map((v) => {
          const label = scaleLabel(poll, v);
          const id = `${name}-${v}`;
          return h("li", { class: "poll-choice" },
            h("input", { type: "radio", name, id, value: String(v) }),
            h("label", { for: id }, h("span", { class: "poll-scale-value" }, String(v)),
              label ? h("span", { class: "poll-scale-label" }, label) : ""));
        }));
    } else {
      const type = poll.kind === "single_choice" ? "radio" : "checkbox";
      body = h("ul", { class: "poll-choices" },
        ...poll.options.map((label, i) => choiceInput(poll, type, name, i, label)),
        poll.allow_other ? otherField(poll, name, type) : "");
    }
    field = h("fieldset", { class: "poll-fieldset", "aria-describedby": hintId },
      h("legend", {}, poll.question),
      h("p", { class: "hint", id: hintId }, choiceHint(poll)),
      body);
  }
  const submit = h("button", { type: "submit", class: "primary big", "data-poll-submit": true }, t("poll.vote"));
  const form = h("form", { class: "stack poll-form", "data-poll-form": true, novalidate: true }, field, submit, feedback);

  if (mine) prefill(form, poll, mine);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const payload = collect(form, poll);
    if (payload.error) {
      feedback.textContent = payload.error;
      return;
    }
    submit.disabled = true;
    const ack = await live.command("poll.vote", { poll_id: poll.id, ...payload.vote });
    submit.disabled = false;
    if (ack.ok) {
      onVoted(ack.vote);
      feedback.textContent = t("poll.saved");
    } else {
      feedback.textContent = t("error", { message: ack.error.message });
    }
  });
  return form;
}

function prefill(form, poll, mine) {
  const name = `poll-${poll.id}`;
  if (poll.kind === "open_text") {
    form.elements.text.value = mine.text || "";
    return;
  }
  if (poll.kind === "ranking") return; // the order was built from my vote
  for (const choice of mine.choices) {
    const input = form.querySelector(`#${name}-${choice}`);
    if (input) input.checked = true;
  }
  if (mine.text && poll.allow_other) {
    form.querySelector(`#${name}-other`).checked = true;
    form.elements.other.value = mine.text;
  }
}

/** The vote payload from the form, or {error} when something obvious is missing. */
function collect(form, poll) {
  const name = `poll-${poll.id}`;
  if (poll.kind === "open_text") {
    const text = form.elements.text.value.trim();
    return text ? { vote: { text } } : { error: t("poll.nothing_written") };
  }
  if (poll.kind === "ranking") {
    return { vote: { choices: $$("[data-ranking] > li", form).map((li) => Number(li.dataset.index)) } };
  }
  const checked = $$(`input[name="${name}"]:checked`, form).map((input) => input.value);
  if (poll.kind === "scale") {
    return checked.length ? { vote: { value: Number(checked[0]) } } : { error: t("poll.nothing_chosen") };
  }
  const vote = { choices: checked.filter((v) => v !== "other").map(Number) };
  if (checked.includes("other")) {
    const other = form.elements.other.value.trim();
    if (!other) return { error: t("poll.other_empty") };
    vote.other = other;
  }
  if (!vote.choices.length && !vote.other) return { error: t("poll.nothing_chosen") };
  return { vote };
}

function myVote(data, poll) {
  return data.me?.activity?.poll_votes?.[String(poll.id)] || null;
}

export function participant(container, activity, data, live) {
  const view = activity.view;
  const poll = currentPoll(view);
  const key = poll ? String(poll.id) : "none";
  // built for this poll? (the container may have shown another item or poll in between)
  const fresh = container.firstElementChild?.dataset.pollCard !== key;
  if (fresh) {
    if (!poll) {
      container.replaceChildren(h("section", { class: "card activity poll", "data-poll-card": key },
        h("h2", {}, t("kind.poll")), h("p", {}, t("poll.waiting"))));
      return;
    }
    const headingId = `poll-heading-${poll.id}`;
    const onVoted = (vote) => {
      data.me = data.me || {};
      data.me.activity = data.me.activity || {};
      data.me.activity.poll_votes = { ...(data.me.activity.poll_votes || {}), [String(poll.id)]: vote };
      $("[data-poll-submit]", container).textContent = t("poll.change_vote");
    };
    container.replaceChildren(
      h("section", { class: "card activity poll", "aria-labelledby": headingId, "data-poll-card": key },
        h("h2", { id: headingId }, t("kind.poll")),
        poll.is_anonymous ? "" : h("p", { class: "poll-named-note" }, t("poll.named_note")),
        voteForm(poll, myVote(data, poll), live, onVoted),
        h("p", { class: "closed-note", "data-poll-closed": true, hidden: true }, t("poll.closed")),
        h("p", { class: "subtle", "data-poll-turnout": true }),
        h("section", { class: "poll-results-box", "data-poll-results": true, "aria-labelledby": `${headingId}-results`, hidden: true },
          h("h3", { id: `${headingId}-results` }, t("poll.results")), resultsBlock()),
        h("p", { class: "subtle", "data-poll-later": true, hidden: true }, t("poll.results_later"))),
    );
  }
  if (!poll) return;
  const form = $("[data-poll-form]", container);
  const isOpen = poll.state === "open";
  for (const field of form.elements) field.disabled = !isOpen;
  if (isOpen && poll.kind === "ranking") renumber($("[data-ranking]", form));
  $("[data-poll-submit]", container).textContent = myVote(data, poll) ? t("poll.change_vote") : t("poll.vote");
  $("[data-poll-closed]", container).hidden = poll.state !== "closed";
  $("[data-poll-turnout]", container).textContent = turnoutText(poll);
  const box = $("[data-poll-results]", container);
  const wasShown = !box.hidden;
  box.hidden = !poll.results;
  $("[data-poll-later]", container).hidden = Boolean(poll.results);
  if (poll.results) {
    updateResults(box, poll, poll.results);
    if (!wasShown && !fresh) announce(t("poll.results_shown"));
  }
}

// --- projector ---------------------------------------------------------------------------------

export function screen(container, activity) {
  const view = activity.view;
  const poll = currentPoll(view);
  const key = poll ? String(poll.id) : "none";
  if (container.firstElementChild?.dataset.pollCard !== key) {
    if (!poll) {
      container.replaceChildren(h("section", { class: "activity poll-screen", "data-poll-card": key },
        h("p", { class: "prompt" }, t("poll.waiting"))));
      return;
    }
    container.replaceChildren(
      h("section", { class: "activity poll-screen", "data-poll-card": key },
        h("h2", { class: "prompt" }, poll.question),
        h("p", { class: "poll-screen-state" }, h("span", { "data-poll-state": true }), " ",
          h("span", { class: "count", "data-poll-turnout": true })),
        h("ol", { class: "poll-screen-options", "data-poll-options": true },
          ...(poll.kind === "scale" ? scaleValues(poll).map((v) => {
            const label = scaleLabel(poll, v);
            return label ? `${v} – ${label}` : String(v);
          }) : poll.options).map((label) => h("li", {}, label))),
        h("div", { "data-poll-results": true, hidden: true }, resultsBlock())),
    );
  }
  if (!poll) return;
  const results = poll.results;
  $("[data-poll-state]", container).textContent = poll.state === "open"
    ? (results ? t("poll.screen_open") : t("poll.screen_open_hidden")) : t("poll.closed");
  $("[data-poll-options]", container).hidden = Boolean(results) || poll.kind === "open_text";
  const box = $("[data-poll-results]", container);
  box.hidden = !results;
  // the projector shows the word cloud, not the list of every answer
  if (results) updateResults(box, poll, results, { answers: false });
  $("[data-poll-turnout]", container).textContent = turnoutText(poll);
}

// --- cockpit -----------------------------------------------------------------------------------

function orgLabel(group) {
  if (group === null) return t("poll.org.none");
  return t(`poll.org.${group}`);
}

/** The breakdown by organisation type as a table: answers in rows, groups in columns. */
function breakdownTable(poll, results, groups) {
  if (!groups.length) return h("p", { class: "subtle" }, t("poll.no_answers"));
  const columns = [{ label: t("poll.total"), r: results }, ...groups.map((g) => ({ label: orgLabel(g.group), r: g }))];
  const head = h("tr", {}, h("th", { scope: "col" }, t("poll.answer")),
    ...columns.map((c) => h("th", { scope: "col" }, c.label, h("span", { class: "subtle" }, ` (${c.r.voters})`))));
  let rows = [];
  if (CHOICE_KINDS.includes(poll.kind)) {
    rows = poll.options.map((label, i) => [label, (r) => `${r.options[i].count} (${percent(r.options[i].share)})`]);
    if (poll.allow_other) rows.push([t("poll.other"), (r) => `${r.other.count} (${percent(r.other.share)})`]);
  } else if (poll.kind === "scale") {
    rows = scaleValues(poll).map((v, i) => [String(v), (r) => String(r.scale.distribution[i].count)]);
    rows.push([t("poll.mean_short"), (r) => (r.scale.mean === null ? "–" : String(r.scale.mean))]);
  } else if (poll.kind === "ranking") {
    rows = poll.options.map((label, i) => [label, (r) => {
      const row = r.ranking.find((x) => x.index === i);
      return row.average_rank === null ? "–" : String(row.average_rank);
    }]);
  } else {
    rows = [[t("poll.answers"), (r) => String(r.text.count)]];
  }
  return h("table", { class: "poll-breakdown" },
    h("caption", {}, t("poll.breakdown"), h("span", { class: "subtle" }, ` – ${t("poll.breakdown_note")}`)),
    h("thead", {}, head),
    h("tbody", {}, ...rows.map(([label, cell]) => h("tr", {}, h("th", { scope: "row" }, label),
      ...columns.map((c) => h("td", {}, cell(c.r)))))));
}

function answerText(poll, vote) {
  if (poll.kind === "open_text") return vote.text || "";
  if (poll.kind === "scale") return String(vote.choices[0]);
  const labels = vote.choices.map((i) => poll.options[i]);
  if (vote.text) labels.push(`${t("poll.other")}: ${vote.text}`);
  return poll.kind === "ranking" ? labels.map((l, i) => `${i + 1}. ${l}`).join(", ") : labels.join(", ");
}

function pollControls(poll, act, onEdit, onShow, selected) {
  const id = poll.id;
  const buttons = [];
  if (poll.state === "draft") {
    buttons.push(h("button", { type: "button", class: "small primary", "data-focus-key": `open-${id}`,
      onclick: () => act("poll.open", { poll_id: id }) }, t("poll.open")));
    buttons.push(h("button", { type: "button", class: "small", "data-focus-key": `edit-${id}`, onclick: () => onEdit(poll) },
      t("poll.edit")));
  } else if (poll.state === "open") {
    buttons.push(h("button", { type: "button", class: "small primary", "data-focus-key": `close-${id}`,
      onclick: () => act("poll.close", { poll_id: id }) }, t("poll.close")));
  } else {
    buttons.push(h("button", { type: "button", class: "small", "data-focus-key": `reopen-${id}`,
      onclick: () => act("poll.reopen", { poll_id: id }) }, t("poll.reopen")));
  }
  if (poll.state !== "draft") {
    buttons.push(h("button", { type: "button", class: "small", "data-focus-key": `reveal-${id}`, "aria-pressed": String(poll.is_revealed),
      onclick: () => act("poll.reveal", { poll_id: id, is_revealed: !poll.is_revealed }) },
    poll.is_revealed ? t("poll.unreveal") : t("poll.reveal")));
  }
  const liveId = `poll-live-${id}`;
  buttons.push(h("span", { class: "poll-live-toggle" },
    h("input", { type: "checkbox", id: liveId, "data-focus-key": liveId, checked: poll.is_live_results,
      onchange: (event) => act("poll.set_live", { poll_id: id, is_live_results: event.target.checked }) }),
    h("label", { for: liveId }, t("poll.live"))));
  if (!selected) {
    buttons.push(h("button", { type: "button", class: "small", "data-focus-key": `show-${id}`, onclick: () => onShow(poll) },
      t("poll.show"), h("span", { class: "visually-hidden" }, `: ${poll.question}`)));
  }
  return h("span", { class: "controls" }, ...buttons);
}

export function stateBadge(poll) {
  const visibility = poll.state === "draft" ? "" : poll.results_public ? t("poll.public") : t("poll.not_public");
  return h("span", { class: `badge poll-state poll-state-${poll.state}` }, t(`poll.state.${poll.state}`),
    visibility ? ` · ${visibility}` : "");
}

/**
 * The create / edit form of a poll, shared by the cockpit (polls of the running item) and the
 * setup page (polls of any item). Built once; the fields of the chosen kind are shown as the kind
 * changes. Returns the <form>; `form.edit(poll, itemId)` loads a prepared poll into it,
 * `form.setItems(items)` fills the item choice.
 *
 *   idPrefix – prefix of the field ids (ids are unique per page and prefix)
 *   itemId   – () => the item a new poll is created for, when the form has no item choice
 *   withItem – an "Agenda item" choice (setup page); `items` are [{id, label}]
 *   onSaved  – ({ack, editing, pollId, itemId, payload}) after the server accepted
 */
export function pollEditor(live, { idPrefix = "poll", itemId = () => null, withItem = false, onSaved = () => {} } = {}) {
  const id = (name) => `${idPrefix}-${name}`;
  const form = h("form", { class: "stack poll-editor", "data-poll-editor": true },
    h("h3", { "data-editor-title": true }, t("poll.new")),
    withItem ? h("div", { class: "field", "data-item-field": true }, h("label", { for: id("item") }, t("poll.item")),
      h("select", { id: id("item"), name: "item_id", required: true })) : null,
    h("div", { class: "field" }, h("label", { for: id("question") }, t("poll.question")),
      h("input", { id: id("question"), name: "question", maxlength: 300, required: true })),
    h("div", { class: "field" }, h("label", { for: id("kind") }, t("poll.kind")),
      h("select", { id: id("kind"), name: "kind" }, ...KINDS.map((k) => h("option", { value: k }, t(`poll.kind.${k}`))))),
    h("div", { class: "field", "data-for": "single_choice multiple_choice ranking" },
      h("label", { for: id("options") }, t("poll.options")),
      h("textarea", { id: id("options"), name: "options", rows: 4 })),
    h("div", { class: "check", "data-for": "single_choice multiple_choice" },
      h("input", { type: "checkbox", id: id("allow-other"), name: "allow_other" }),
      h("label", { for: id("allow-other") }, t("poll.allow_other"))),
    h("div", { class: "poll-editor-row", "data-for": "multiple_choice" },
      h("div", { class: "field" }, h("label", { for: id("min") }, t("poll.min_choices")),
        h("input", { id: id("min"), name: "min_choices", type: "number", min: 1, max: 31, inputmode: "numeric" })),
      h("div", { class: "field" }, h("label", { for: id("max") }, t("poll.max_choices")),
        h("input", { id: id("max"), name: "max_choices", type: "number", min: 1, max: 31, inputmode: "numeric" }))),
    h("div", { class: "poll-editor-row", "data-for": "scale" },
      h("div", { class: "field" }, h("label", { for: id("scale-min") }, t("poll.scale_min")),
        h("input", { id: id("scale-min"), name: "scale_min", type: "number", value: 1, min: -100, max: 100 })),
      h("div", { class: "field" }, h("label", { for: id("scale-max") }, t("poll.scale_max")),
        h("input", { id: id("scale-max"), name: "scale_max", type: "number", value: 5, min: -100, max: 100 }))),
    h("div", { class: "field", "data-for": "scale" },
      h("label", { for: id("scale-labels") }, t("poll.scale_labels")),
      h("textarea", { id: id("scale-labels"), name: "scale_labels", rows: 2 })),
    h("div", { class: "check" }, h("input", { type: "checkbox", id: id("anonymous"), name: "is_anonymous", checked: true }),
      h("label", { for: id("anonymous") }, t("poll.anonymous"))),
    h("div", { class: "check" }, h("input", { type: "checkbox", id: id("live"), name: "is_live_results" }),
      h("label", { for: id("live") }, t("poll.live"))),
    h("div", { class: "controls" },
      h("button", { type: "submit", class: "primary", "data-editor-submit": true }, t("poll.create")),
      h("button", { type: "button", "data-editor-cancel": true, hidden: true }, t("poll.cancel"))),
    h("p", { class: "feedback", role: "status", id: id("feedback"), "data-editor-feedback": true }));
  const kind = form.elements.kind;
  const itemSelect = withItem ? form.elements.item_id : null;
  const feedback = $("[data-editor-feedback]", form);
  const showFields = () => {
    for (const box of $$("[data-for]", form)) box.hidden = !box.dataset.for.split(" ").includes(kind.value);
  };
  kind.addEventListener("change", showFields);
  showFields();
  const lines = (text) => text.split("\n").map((x) => x.trim()).filter(Boolean);
  const number = (input) => (input.value === "" ? null : Number(input.value));

  // the item choice: the agenda's items, and "without agenda item" while editing a poll that has none
  let items = [];
  let editingItemId = null;
  const fillItems = () => {
    if (!itemSelect) return;
    const rows = items.map((item) => [String(item.id), item.label]);
    if (form.dataset.pollId && editingItemId === null) rows.unshift(["", t("poll.no_item")]);
    const signature = JSON.stringify(rows);
    if (itemSelect.dataset.signature === signature) return;
    const chosen = itemSelect.value;
    itemSelect.replaceChildren(...rows.map(([value, label]) => h("option", { value }, label)));
    if (rows.some(([value]) => value === chosen)) itemSelect.value = chosen;
    itemSelect.dataset.signature = signature;
  };
  form.setItems = (list) => {
    items = list;
    fillItems();
  };

  const unmark = (el) => {
    el.removeAttribute("aria-invalid");
    el.removeAttribute("aria-describedby");
  };
  const clearInvalid = () => $$("[aria-invalid]", form).forEach(unmark);
  form.addEventListener("input", (event) => {
    if (event.target.hasAttribute?.("aria-invalid")) unmark(event.target);
  });
  const reset = () => {
    const item = itemSelect?.value;
    form.reset();
    clearInvalid();
    delete form.dataset.pollId;
    editingItemId = null;
    fillItems();
    // the next poll is most likely for the same item
    if (itemSelect && item && $$("option", itemSelect).some((o) => o.value === item)) itemSelect.value = item;
    $("[data-editor-title]", form).textContent = t("poll.new");
    $("[data-editor-submit]", form).textContent = t("poll.create");
    $("[data-editor-cancel]", form).hidden = true;
    showFields();
  };
  $("[data-editor-cancel]", form).addEventListener("click", () => {
    reset();
    feedback.textContent = "";
    form.elements.question.focus();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const el = form.elements;
    const k = kind.value;
    const payload = { question: el.question.value.trim(), kind: k, is_anonymous: el.is_anonymous.checked,
      is_live_results: el.is_live_results.checked };
    const withOptions = ["single_choice", "multiple_choice", "ranking"].includes(k);
    payload.options = withOptions ? lines(el.options.value) : [];
    payload.allow_other = CHOICE_KINDS.includes(k) && el.allow_other.checked;
    payload.min_choices = k === "multiple_choice" ? number(el.min_choices) : null;
    payload.max_choices = k === "multiple_choice" ? number(el.max_choices) : null;
    payload.scale_min = k === "scale" ? number(el.scale_min) : null;
    payload.scale_max = k === "scale" ? number(el.scale_max) : null;
    payload.scale_labels = k === "scale" ? lines(el.scale_labels.value) : [];
    const editing = form.dataset.pollId;
    const chosenItem = itemSelect && itemSelect.value !== "" ? Number(itemSelect.value) : null;
    let target;
    if (editing) {
      target = editingItemId;
      // moved to another item (setup page): only when an item is chosen; never detached here
      if (chosenItem !== null && chosenItem !== editingItemId) target = payload.item_id = chosenItem;
    } else {
      target = itemSelect ? chosenItem : itemId();
    }
    clearInvalid();
    const ack = editing
      ? await live.command("poll.update", { poll_id: Number(editing), ...payload })
      : await live.command("poll.create", { item_id: target, ...payload });
    if (!ack.ok) {
      const field = ack.error.details?.fields?.[0];
      feedback.textContent = t("error", { message: field ? `${ack.error.message} (${field.field}: ${field.message})` : ack.error.message });
      // the field the refusal names is marked and gets the focus (its label and the message are read out)
      const control = field && form.elements[String(field.field).split(".")[0]];
      if (control && !control.closest("[hidden]")) {
        control.setAttribute("aria-invalid", "true");
        control.setAttribute("aria-describedby", id("feedback"));
        control.focus();
      }
      return;
    }
    feedback.textContent = editing ? t("poll.updated") : t("poll.created", { question: payload.question });
    onSaved({ ack, editing: Boolean(editing), pollId: editing ? Number(editing) : ack.poll_id, itemId: target, payload });
    reset();
  });
  form.edit = (poll, pollItemId = null) => {
    const el = form.elements;
    form.dataset.pollId = String(poll.id);
    editingItemId = pollItemId;
    fillItems();
    if (itemSelect) itemSelect.value = pollItemId === null ? "" : String(pollItemId);
    clearInvalid();
    feedback.textContent = "";
    el.question.value = poll.question;
    kind.value = poll.kind;
    el.options.value = poll.options.join("\n");
    el.allow_other.checked = poll.allow_other;
    el.min_choices.value = poll.min_choices ?? "";
    el.max_choices.value = poll.max_choices ?? "";
    el.scale_min.value = poll.scale_min ?? 1;
    el.scale_max.value = poll.scale_max ?? 5;
    el.scale_labels.value = (poll.scale_labels || []).join("\n");
    el.is_anonymous.checked = poll.is_anonymous;
    el.is_live_results.checked = poll.is_live_results;
    $("[data-editor-title]", form).textContent = t("poll.edit_heading");
    $("[data-editor-submit]", form).textContent = t("poll.save");
    $("[data-editor-cancel]", form).hidden = false;
    showFields();
    el.question.focus();
  };
  return form;
}

export function cockpit(container, activity, data, live) {
  const view = activity.view;
  const act = commander(live);
  if (!container.firstChild) {
    const editor = pollEditor(live, {
      itemId: () => activity.item_id,
      // a new poll's results are what the cockpit shows next
      onSaved: ({ editing, pollId }) => {
        if (!editing) container.dataset.selected = String(pollId);
      },
    });
    container.append(
      h("section", { class: "card activity poll-cockpit", "aria-labelledby": "poll-cockpit-heading" },
        h("h2", { id: "poll-cockpit-heading" }, t("poll.polls")),
        h("ul", { class: "poll-list", "data-poll-list": true }),
        h("div", { class: "poll-detail", "data-poll-detail": true, "aria-live": "off" }),
        h("details", { class: "poll-new", "data-poll-new": true }, h("summary", {}, t("poll.new")), editor)),
    );
  }
  const editor = $("[data-poll-editor]", container);
  const onEdit = (poll) => {
    $("[data-poll-new]", container).open = true;
    editor.edit(poll);
  };
  // which poll's results the cockpit shows: the one chosen, else the one the item shows now
  const chosen = view.polls.find((p) => String(p.id) === container.dataset.selected);
  const shown = chosen || currentPoll(view);
  const onShow = (poll) => {
    container.dataset.selected = String(poll.id);
    cockpit(container, activity, data, live);
    $(`[data-focus-key="detail-${poll.id}"]`, container)?.focus();
  };
  const list = $("[data-poll-list]", container);
  preserveFocus(list, () => list.replaceChildren(
    ...(view.polls.length ? view.polls.map((poll) => h("li", { class: `poll-item${shown && poll.id === shown.id ? " is-shown" : ""}` },
      h("span", { class: "poll-item-question" }, poll.question),
      " ", h("span", { class: "subtle" }, t(`poll.kind.${poll.kind}`)), " ", stateBadge(poll),
      poll.turnout ? h("span", { class: "subtle" }, ` · ${turnoutText(poll)}`) : "",
      pollControls(poll, act, onEdit, onShow, shown && poll.id === shown.id)))
      : [h("li", { class: "subtle" }, t("poll.none"))]),
  ));

  const detail = $("[data-poll-detail]", container);
  if (!shown || !shown.results) {
    detail.replaceChildren();
    delete detail.dataset.pollId;
    return;
  }
  if (detail.dataset.pollId !== String(shown.id)) {
    detail.dataset.pollId = String(shown.id);
    detail.replaceChildren(
      h("h3", { tabindex: "-1", "data-focus-key": `detail-${shown.id}` }, shown.question),
      h("p", { "data-detail-turnout": true }),
      resultsBlock(),
      h("div", { "data-detail-breakdown": true }),
      h("div", { "data-detail-named": true }));
  }
  const joined = data.presence?.joined;
  $("[data-detail-turnout]", detail).textContent = [turnoutText(shown),
    joined !== undefined ? t("poll.joined", { n: joined }) : ""].filter(Boolean).join(" · ");
  const box = $(".poll-results", detail);
  preserveFocus(box, () => updateResults(box, shown, shown.results, {
    moderation: (a) => h("span", { class: "controls" },
      a.is_hidden ? h("span", { class: "badge" }, t("hidden")) : "",
      h("button", { type: "button", class: "small", "data-focus-key": `hide-answer-${a.vote_id}`,
        onclick: () => act("poll.hide_answer", { vote_id: a.vote_id, is_hidden: !a.is_hidden }) },
      a.is_hidden ? t("show") : t("hide"), h("span", { class: "visually-hidden" }, `: ${a.text}`))),
  }));
  $("[data-detail-breakdown]", detail).replaceChildren(breakdownTable(shown, shown.results, shown.breakdown || []));
  const named = $("[data-detail-named]", detail);
  named.replaceChildren(...(shown.named ? [
    h("h4", {}, t("poll.named")),
    shown.named.length
      ? h("ul", { class: "poll-named" }, ...shown.named.map((n) => h("li", {}, h("strong", {}, n.name), `: ${answerText(shown, n)}`)))
      : h("p", { class: "subtle" }, t("poll.no_answers")),
  ] : []));
}
