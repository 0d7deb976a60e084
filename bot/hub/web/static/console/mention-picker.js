/* The "@" picker of the note box (issue 27.11): "@" and the first letters of a colleague's name open a
 * list of the matching agents (GET /agent/agents, names only for plain agents). An accessible listbox
 * as the macro picker's: the note box keeps the focus and points at the highlighted option with
 * aria-activedescendant; the arrow keys move the highlight, Enter or Tab (or a click) puts the full name
 * in, Escape closes. Typing "@Name" by hand works the same without it (the hub reads the names). */
import { byId as $, clear, el } from '../shared/dom.js';
import { closeListbox, moveHighlight, showListbox } from './listbox.js';
import { agentOption, atQuery, atStart, matchAgents, mentionOf } from './mentions-state.js';

const FRESH_MS = 60000; // the names (and their presence) are read again after a minute
const IDS = { popup: 'mention-popup', list: 'mention-list', status: 'mention-status' };

export function createMentionPicker(S, call) {
  const state = { agents: [], loadedAt: 0, shown: [], active: -1, open: false };
  const box = () => $('note-text');
  const caret = () => { const ta = box(); return ta.selectionStart != null ? ta.selectionStart : ta.value.length; };

  async function load() {
    if (state.loadedAt && Date.now() - state.loadedAt < FRESH_MS) return;
    try {
      state.agents = (await call('GET', '/agent/agents')).agents || [];
      state.loadedAt = Date.now();
    } catch (e) { /* no list: "@Name" typed in full still names the agent */ }
  }

  function render() {
    const list = clear($('mention-list'));
    state.shown.forEach((a, i) => {
      const option = el('li', {
        id: `mention-opt-${a.id}`, role: 'option', class: 'macro-option mention-option', 'aria-selected': String(i === state.active),
        text: agentOption(a),
      });
      option.addEventListener('mousedown', (e) => { e.preventDefault(); choose(a); }); // the focus stays in the box
      list.appendChild(option);
    });
    const current = state.shown[state.active];
    if (current) box().setAttribute('aria-activedescendant', `mention-opt-${current.id}`);
    else box().removeAttribute('aria-activedescendant');
    $('mention-status').textContent = `${state.shown.length} ${state.shown.length === 1 ? 'Person passt' : 'Personen passen'}. `
      + 'Pfeiltasten wählen, Eingabe oder Tab übernimmt, Escape schließt.';
  }

  function show(query) {
    state.shown = matchAgents(state.agents, query, S.me && S.me.id);
    if (!state.shown.length) { close(); return; }
    state.active = Math.min(Math.max(state.active, 0), state.shown.length - 1);
    showListbox(state, box(), IDS);
    render();
  }

  function close() { closeListbox(state, box(), IDS); }

  function choose(agent) {
    const ta = box();
    const end = caret();
    if (atQuery(ta.value, end) != null) {
      const start = atStart(ta.value, end);
      const name = mentionOf(agent);
      ta.value = ta.value.slice(0, start) + name + ta.value.slice(end);
      ta.selectionStart = ta.selectionEnd = start + name.length;
    }
    close();
    ta.focus();
    $('mention-status').textContent = `${agent.name} erwähnt.`;
  }

  async function onInput() {
    const query = atQuery(box().value, caret());
    if (query == null) { close(); return; }
    await load();
    const now = atQuery(box().value, caret());
    if (now != null) show(now); // what is typed by the time the names are there
  }

  // Capture phase on the form: before anything else hears the key.
  function onKey(e) {
    if (e.target !== box() || !state.open) return;
    if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); close(); return; }
    if ((e.key === 'Enter' && !e.shiftKey) || (e.key === 'Tab' && !e.shiftKey)) {
      const agent = state.shown[state.active];
      if (!agent) return;
      e.preventDefault();
      e.stopPropagation();
      choose(agent);
      return;
    }
    moveHighlight(state, e, render);
  }

  $('note-form').addEventListener('keydown', onKey, true);
  $('note-text').addEventListener('input', onInput);
  $('note-text').addEventListener('blur', () => setTimeout(() => { if (document.activeElement !== box()) close(); }, 150));
  $('note-form').addEventListener('submit', () => close());

  return { close };
}
