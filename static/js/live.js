// Live connection shared by every view: snapshot on (re)connect, sequence numbers with resync
// on a gap, server clock offset, commands with acks. No state is kept anywhere but the server.
import { io } from "../vendor/socket.io-4.8.4/socket.io.esm.min.js";

const PING_MS = 30000;
const COMMAND_TIMEOUT_MS = 10000;

export const strings = JSON.parse(document.getElementById("i18n")?.textContent || "{}");

/** Translated text with %(name)s placeholders. */
export function t(key, params = {}) {
  const text = strings[key] ?? key;
  return text.replace(/%\((\w+)\)s/g, (_, name) => String(params[name] ?? ""));
}

let clockOffset = 0; // server time minus this device's time, in ms

/** The server's current time, as this device best knows it. */
export function serverNow() {
  return Date.now() + clockOffset;
}

function noteServerTime(iso) {
  if (iso) clockOffset = Date.parse(iso) - Date.now();
}

/**
 * Connect to a workshop as `view` (participant, screen, cockpit).
 * `onChange(state, reason)` runs after every snapshot or applied event.
 */
export function connectLive({ workshop, view, onChange, onStatus = () => {}, onRefused = () => {} }) {
  const state = { seq: -1, data: null };
  const socket = io({ auth: { workshop, view }, reconnectionDelayMax: 5000 });
  let pingTimer = null;

  function applySnapshot(envelope) {
    noteServerTime(envelope.now);
    state.seq = envelope.seq;
    state.data = envelope.data;
    onChange(state.data, "snapshot");
  }

  function resync() {
    socket.emit("sync.request", {}, (ack) => {
      if (ack && ack.ok) applySnapshot(ack.snapshot);
    });
  }

  /** Sequenced events: apply in order, ignore stale ones, resync on a gap. */
  function sequenced(name, apply) {
    socket.on(name, (envelope) => {
      noteServerTime(envelope.now);
      if (state.data === null || envelope.seq <= state.seq) return;
      if (envelope.seq > state.seq + 1) {
        resync();
        return;
      }
      state.seq = envelope.seq;
      if (apply) apply(state.data, envelope.data);
      onChange(state.data, name);
    });
  }

  socket.on("sync.snapshot", applySnapshot);
  sequenced("sync.seq", null);
  sequenced("workshop.state", (data, payload) => {
    data.workshop = payload.workshop;
    data.agenda = payload.agenda;
    if (data.activity?.item_id !== payload.activity?.item_id && data.me) data.me.activity = null;
    data.activity = payload.activity;
  });
  sequenced("activity.state", (data, payload) => {
    if (payload.item_id === data.agenda.current_id) data.activity = payload;
  });
  // Coalesced views after contributions: unsequenced, but never older than what we applied.
  socket.on("activity.live", (envelope) => {
    noteServerTime(envelope.now);
    if (!state.data || envelope.at_seq < state.seq) return;
    if (envelope.data.item_id !== state.data.agenda.current_id) return;
    state.data.activity = envelope.data;
    onChange(state.data, "activity.live");
  });
  function addBroadcast(data, message) {
    data.broadcasts = data.broadcasts || [];
    if (!data.broadcasts.some((b) => b.id === message.id)) data.broadcasts.push(message);
    data.latestBroadcast = message;
  }
  sequenced("broadcast.sent", addBroadcast);
  // a message to one theme group reaches only its members' phones (through the group's room)
  socket.on("broadcast.group", (envelope) => {
    noteServerTime(envelope.now);
    if (!state.data) return;
    addBroadcast(state.data, envelope.data);
    onChange(state.data, "broadcast.group");
  });
  socket.on("presence.changed", (envelope) => {
    noteServerTime(envelope.now);
    if (!state.data) return;
    state.data.presence = envelope.data;
    onChange(state.data, "presence.changed");
  });

  socket.on("connect", () => {
    onStatus("connected");
    clearInterval(pingTimer);
    pingTimer = setInterval(() => {
      socket.emit("presence.ping", {}, (ack) => ack && ack.ok && noteServerTime(ack.now));
    }, PING_MS);
  });
  let revoked = false;
  socket.on("disconnect", () => {
    clearInterval(pingTimer);
    if (!revoked) onStatus("reconnecting");
  });
  // the link this page came in with was revoked (a new projector link): stop and say so
  socket.on("access.revoked", () => {
    revoked = true;
    socket.disconnect();
    onRefused({ code: "not_authenticated" });
  });
  socket.on("connect_error", (err) => {
    if (err && err.data && err.data.code) {
      onRefused(err.data);
    } else {
      onStatus("reconnecting");
    }
  });

  /** Send a command; resolves with its ack ({ok: true, ...} or {ok: false, error}). */
  function command(name, payload = {}) {
    return new Promise((resolve) => {
      socket.timeout(COMMAND_TIMEOUT_MS).emit(name, payload, (err, ack) => {
        if (err) resolve({ ok: false, error: { code: "timeout", message: "no answer from the server" } });
        else resolve(ack);
      });
    });
  }

  return { socket, state, command, resync };
}
