/*
 * Therapist-tears guide: website chat widget for Rasa's socket.io channel.
 *
 * Embed with one script tag and an optional config object:
 *   <script>window.TearsGuideConfig = {serverUrl: "https://bot.example.org", title: "Talk it through",
 *           initialPayload: "/greet", crisisText: "In crisis? Get help now"};</script>
 *   <script src="https://bot.example.org/widget.js" defer></script>
 *
 * Before connecting it fetches a short-lived JWT from `tokenUrl` (the page that serves the widget
 * issues it) and sends it as socket.io `auth`, as Rasa's socketio channel requires with `jwt_key`.
 * The token names the one session this browser may use (channels/widget.py binds the socket to it).
 * Speaks Rasa's socket.io protocol (user_uttered / bot_uttered, session_request / session_confirm),
 * keeps the session id and the transcript in localStorage so a reload continues the conversation
 * (for `retentionDays`, as long as the server keeps conversations, and cleared when the assistant
 * confirms a /forget), offers to delete the server's copy too when "Clear" is pressed,
 * renders text, quick replies and links, shows a typing indicator, and always shows a crisis link
 * and a "clear this conversation" control. All user and bot text is inserted as text, never HTML.
 */
import { io } from "socket.io-client";

const STORAGE_KEY = "tears-guide-widget";
const DEFAULTS = {
  serverUrl: window.location.origin,
  title: "Therapist tears guide",
  initialPayload: "/greet",
  crisisText: "In crisis? Get help now",
  locale: null,
  tokenUrl: "token", // short-lived socket.io JWT, issued by the page that serves the widget
  retentionDays: 30, // the browser copy is kept as long as the server keeps it (retention_days)
};
const DAY_MS = 24 * 60 * 60 * 1000;

/** The stored state without what is older than the retention period (PRIVACY.md): old messages are
 * dropped, and a session idle for longer is forgotten, as the server's retention deletes it. */
function withinRetention(state, retentionDays, now) {
  const oldest = now - Number(retentionDays) * DAY_MS;
  const kept = Object.assign({}, state);
  kept.transcript = (state.transcript || []).filter((entry) => (entry.at || 0) >= oldest);
  if ((state.lastActive || 0) < oldest) {
    kept.sessionId = null;
    kept.transcript = [];
  }
  return kept;
}

function loadState() {
  try {
    return JSON.parse(window.localStorage.getItem(STORAGE_KEY)) || {};
  } catch (e) {
    return {};
  }
}

function saveState(state) {
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
  } catch (e) {
    /* storage full or disabled: the conversation still works, it just won't survive a reload */
  }
}

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([key, value]) => node.setAttribute(key, value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Text with bare http(s) links made clickable; everything else stays plain text. */
function renderText(container, text) {
  const parts = String(text).split(/(https?:\/\/[^\s<>"')]+)/g);
  parts.forEach((part, index) => {
    if (index % 2 === 1) {
      const link = el("a", { href: part, target: "_blank", rel: "noopener noreferrer" }, part);
      container.appendChild(link);
    } else if (part) {
      container.appendChild(document.createTextNode(part));
    }
  });
}

const STYLE = `
.tg-launcher{position:fixed;right:16px;bottom:16px;z-index:2147483000;background:#1f4e5f;color:#fff;border:0;
  border-radius:24px;padding:12px 18px;font:600 16px/1.2 system-ui,sans-serif;cursor:pointer}
.tg-launcher:focus-visible,.tg-panel button:focus-visible,.tg-panel a:focus-visible,.tg-panel input:focus-visible{
  outline:3px solid #f5b700;outline-offset:2px}
.tg-panel{position:fixed;right:16px;bottom:72px;z-index:2147483000;width:min(380px,calc(100vw - 32px));
  height:min(600px,calc(100vh - 96px));display:flex;flex-direction:column;background:#fff;color:#1b1b1b;
  border:1px solid #9aa5ab;border-radius:12px;box-shadow:0 8px 24px rgba(0,0,0,.2);font:15px/1.45 system-ui,sans-serif}
.tg-panel[hidden]{display:none}
.tg-header{display:flex;align-items:center;gap:8px;padding:10px 12px;background:#1f4e5f;color:#fff;border-radius:12px 12px 0 0}
.tg-header h2{flex:1;margin:0;font-size:16px}
.tg-header button{background:transparent;color:#fff;border:1px solid #fff;border-radius:6px;padding:4px 8px;cursor:pointer;font:inherit;font-size:13px}
.tg-crisis{display:block;padding:8px 12px;background:#fff4e5;color:#7a3e00;font-weight:600;text-decoration:underline;border:0;
  text-align:left;width:100%;cursor:pointer;font:inherit}
.tg-log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px}
.tg-msg{max-width:85%;padding:8px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere}
.tg-bot{align-self:flex-start;background:#eef2f4}
.tg-user{align-self:flex-end;background:#1f4e5f;color:#fff}
.tg-bot a{color:#0b4f8a}
.tg-replies{display:flex;flex-wrap:wrap;gap:6px;align-self:flex-start}
.tg-clear-choice{padding:6px 12px}.tg-clear-choice[hidden]{display:none}
.tg-replies button{background:#fff;color:#1f4e5f;border:1px solid #1f4e5f;border-radius:16px;padding:6px 12px;cursor:pointer;font:inherit}
.tg-typing{align-self:flex-start;color:#4a4a4a;font-style:italic}
.tg-form{display:flex;gap:6px;padding:10px;border-top:1px solid #d5dbde}
.tg-form input{flex:1;min-width:0;padding:8px;border:1px solid #6b767c;border-radius:8px;font:inherit}
.tg-form button{background:#1f4e5f;color:#fff;border:0;border-radius:8px;padding:8px 14px;cursor:pointer;font:inherit}
.tg-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
`;

function createWidget(config) {
  const state = loadState();
  state.transcript = state.transcript || [];
  Object.assign(state, withinRetention(state, config.retentionDays, Date.now()));
  saveState(state);

  document.head.appendChild(el("style", {}, STYLE));
  const launcher = el("button", { class: "tg-launcher", type: "button", "aria-expanded": "false",
    "aria-controls": "tg-panel" }, config.title);
  const panel = el("section", { class: "tg-panel", id: "tg-panel", role: "dialog", "aria-label": config.title });
  panel.hidden = true;

  const header = el("div", { class: "tg-header" });
  header.appendChild(el("h2", {}, config.title));
  const clearButton = el("button", { type: "button", class: "tg-clear" }, "Clear this conversation");
  const closeButton = el("button", { type: "button", "aria-label": "Close chat" }, "Close");
  header.append(clearButton, closeButton);

  const crisis = el("button", { type: "button", class: "tg-crisis" }, config.crisisText);
  const log = el("div", { class: "tg-log", role: "log", "aria-live": "polite", "aria-label": "Conversation" });
  const typing = el("div", { class: "tg-typing", role: "status" });
  const form = el("form", { class: "tg-form" });
  const label = el("label", { for: "tg-input", class: "tg-sr" }, "Your message");
  const input = el("input", { id: "tg-input", type: "text", autocomplete: "off", maxlength: "2000",
    placeholder: "Type your message" });
  const send = el("button", { type: "submit" }, "Send");
  form.append(label, input, send);
  panel.append(header, crisis, log, typing, form);
  document.body.append(launcher, panel);

  let socket = null;
  let typingTimer = null;

  function setTyping(on) {
    typing.textContent = on ? "The guide is typing…" : "";
    clearTimeout(typingTimer);
    if (on) typingTimer = setTimeout(() => setTyping(false), 15000);
  }

  function addMessage(entry, remember) {
    if (entry.from === "user") {
      log.appendChild(el("div", { class: "tg-msg tg-user" }, entry.text));
    } else {
      if (entry.text) {
        const bubble = el("div", { class: "tg-msg tg-bot" });
        renderText(bubble, entry.text);
        log.appendChild(bubble);
      }
      if (entry.replies && entry.replies.length) {
        const group = el("div", { class: "tg-replies", role: "group", "aria-label": "Suggested replies" });
        entry.replies.forEach((reply) => {
          const button = el("button", { type: "button" }, reply.title);
          button.addEventListener("click", () => sendMessage(reply.title, reply.payload));
          group.appendChild(button);
        });
        log.appendChild(group);
      }
    }
    log.scrollTop = log.scrollHeight;
    if (remember) {
      entry.at = Date.now();
      state.lastActive = entry.at;
      state.transcript.push(entry);
      state.transcript = state.transcript.slice(-200);
      saveState(state);
    }
  }

  function sendMessage(shown, payload) {
    const message = (payload || shown || "").trim();
    if (!message || !socket) return;
    addMessage({ from: "user", text: shown }, true);
    setTyping(true);
    const metadata = config.locale ? { locale: config.locale } : {};
    socket.emit("user_uttered", { message, session_id: state.sessionId, metadata });
  }

  function connect(freshSession, greet = true) {
    // a fresh token for every (re)connection: tokens are short-lived
    // the token names the conversation this browser may use; after "Clear" the first token is for a
    // new one, and reconnections keep it
    let askNew = Boolean(freshSession);
    const tokenUrl = () => {
      const url = askNew ? config.tokenUrl + (config.tokenUrl.includes("?") ? "&" : "?") + "new=1" : config.tokenUrl;
      askNew = false;
      return url;
    };
    const auth = (callback) =>
      fetch(tokenUrl(), { credentials: "same-origin" })
        .then((response) => response.json())
        .then((data) => callback({ token: data.token }))
        .catch(() => callback({}));
    socket = io(config.serverUrl, { transports: ["websocket", "polling"], auth });
    socket.on("connect", () => socket.emit("session_request", { session_id: state.sessionId || null }));
    socket.on("session_confirm", (info) => {
      const sessionId = typeof info === "string" ? info : info && info.session_id;
      const isNew = sessionId !== state.sessionId;
      if (isNew && state.sessionId) {
        // the server gave another conversation than the one stored: the old transcript is not its
        state.transcript = [];
        log.textContent = "";
      }
      state.sessionId = sessionId;
      saveState(state);
      if (isNew && greet && !state.transcript.length && config.initialPayload) {
        setTyping(true);
        socket.emit("user_uttered", { message: config.initialPayload, session_id: sessionId });
      }
    });
    socket.on("bot_uttered", (data) => {
      setTyping(false);
      if (data && data.forgotten) {
        // the assistant deleted the server's copy (actions/privacy.py): the browser's copy goes too,
        // and the next message starts a new conversation (the confirmation stays on screen only)
        startOver(false);
        return;
      }
      const replies = (data.quick_replies || data.buttons || []).map((r) => ({ title: r.title, payload: r.payload }));
      addMessage({ from: "bot", text: data.text || "", replies }, true);
    });
    socket.on("connect_error", () => setTyping(false));
  }

  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    if (!socket) connect();
    input.focus();
  }

  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcher.focus();
  }

  launcher.addEventListener("click", () => (panel.hidden ? open() : close()));
  closeButton.addEventListener("click", close);
  panel.addEventListener("keydown", (event) => { if (event.key === "Escape") close(); });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    sendMessage(input.value);
    input.value = "";
  });
  crisis.addEventListener("click", () => sendMessage(config.crisisText, "/crisis"));
  function forgetBrowserCopy() {
    state.transcript = [];
    state.sessionId = null;
    state.lastActive = 0;
    saveState(state);
  }

  /** A new conversation with the browser's copy gone; `fresh`: the log is cleared and the greeting
   * sent again ("Clear"), else the last reply (the deletion's confirmation) stays on screen. */
  function startOver(fresh) {
    forgetBrowserCopy();
    if (fresh) log.textContent = "";
    if (socket) socket.disconnect();
    socket = null;
    connect(true, fresh);
  }

  // "Clear" asks where: only this browser's copy, or the server's too (the assistant asks once to
  // confirm, then deletes it, and the browser's copy is cleared when it confirms)
  const choice = el("div", { class: "tg-replies tg-clear-choice", role: "group", "aria-label": "Clear the conversation" });
  const everywhere = el("button", { type: "button" }, "Also delete it from the server");
  const browserOnly = el("button", { type: "button" }, "Only clear this browser");
  const cancel = el("button", { type: "button" }, "Cancel");
  choice.append(everywhere, browserOnly, cancel);
  choice.hidden = true;
  panel.insertBefore(choice, crisis);
  clearButton.addEventListener("click", () => { choice.hidden = !choice.hidden; });
  cancel.addEventListener("click", () => { choice.hidden = true; });
  browserOnly.addEventListener("click", () => { choice.hidden = true; startOver(true); });
  everywhere.addEventListener("click", () => {
    choice.hidden = true;
    if (!socket || !state.sessionId) startOver(true);
    else sendMessage("Delete this conversation from the server", "/forget");
  });

  state.transcript.forEach((entry) => addMessage(entry, false));
  if (state.open) open();
  window.addEventListener("beforeunload", () => { state.open = !panel.hidden; saveState(state); });
  return { open, close };
}

function start() {
  const config = Object.assign({}, DEFAULTS, window.TearsGuideConfig || {});
  window.TearsGuide = createWidget(config);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
