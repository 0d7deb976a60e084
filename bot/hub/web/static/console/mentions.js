/* "Für mich" (notes that named me with @Name) and who else views or replies in the open conversation
 * (issue 27.11). Mentions arrive live (frame "mention") and are listed in the sidebar; opening one opens
 * its conversation and marks it read. The console tells the hub which conversation is open and when its
 * agent is writing ("viewing" frames, repeated while it stays open) and shows the same from others; an
 * agent who starts replying while someone else is there gets a warning once. "@" in the note box offers
 * the colleagues' names (mention-picker.js). */
import { byId as $, clear, el } from '../shared/dom.js';
import {
  VIEWING_RESEND_MS, heard, mentionLine, othersIn, replyWarning, viewersText,
} from './mentions-state.js';
import { createMentionPicker } from './mention-picker.js';

export function createMentions(S, call, hooks) {
  const state = { items: [], seen: new Map(), viewing: null, timer: null, replying: false, warned: null, lastInput: 0 };
  const picker = createMentionPicker(S, call); // "@" in the note box

  function renderList() {
    const list = clear($('mentions-list'));
    const unread = state.items.filter((m) => !m.read_at).length;
    $('mentions-count').textContent = String(unread);
    if (!state.items.length) list.appendChild(el('li', { class: 'empty', text: 'Niemand hat Sie erwähnt.' }));
    state.items.slice(0, 20).forEach((m) => {
      const item = el('li', { class: 'mention' + (m.read_at ? '' : ' unread'), 'data-id': String(m.id) }, [
        el('button', { type: 'button', class: 'mention-open', onclick: () => openMention(m) }, [
          m.read_at ? null : el('span', { class: 'sr-only', text: 'Ungelesen: ' }),
          el('span', { text: mentionLine(m) }),
        ]),
      ]);
      list.appendChild(item);
    });
  }

  async function load() {
    try {
      state.items = (await call('GET', '/agent/mentions')).mentions || [];
      renderList();
    } catch (e) { /* the list stays as it was */ }
  }

  async function openMention(m) {
    if (m.visible !== false) await hooks.openConversation(m.conversation_id);
    if (!m.read_at) {
      try { await call('POST', `/agent/mentions/${m.id}/read`); } catch (e) { return; }
      m.read_at = new Date().toISOString();
      renderList();
    }
  }

  function renderViewers() {
    const line = $('conv-viewers');
    const others = S.openId && S.me ? othersIn(state.seen, S.openId, S.me.id, Date.now()) : [];
    const text = viewersText(others);
    line.hidden = !text;
    line.textContent = text;
  }

  function sendViewing(extra) {
    if (state.viewing) hooks.send({ type: 'viewing', conversation_id: state.viewing, replying: state.replying, ...extra });
  }

  // main.js: a conversation was opened (id) or the pane closed (null).
  function opened(id) {
    if (state.viewing && state.viewing !== id) hooks.send({ type: 'viewing', conversation_id: state.viewing, left: true });
    state.viewing = id;
    picker.close();
    state.replying = false;
    state.warned = null;
    $('reply-warning').hidden = true;
    clearInterval(state.timer);
    if (id) {
      sendViewing();
      state.timer = setInterval(() => {
        if (state.replying && Date.now() - state.lastInput > VIEWING_RESEND_MS) state.replying = false;
        sendViewing();
        renderViewers();
      }, VIEWING_RESEND_MS);
    }
    renderViewers();
  }

  function onReplyInput() {
    if (!state.viewing) return;
    state.lastInput = Date.now();
    const writing = !!$('reply-text').value.trim();
    if (writing !== state.replying) { state.replying = writing; sendViewing(); }
    if (!writing) return;
    const others = othersIn(state.seen, state.viewing, S.me && S.me.id, Date.now());
    const warning = replyWarning(others);
    const key = warning ? `${state.viewing}:${warning}` : null;
    if (warning && state.warned !== key) {
      state.warned = key;
      $('reply-warning-text').textContent = warning;
      $('reply-warning').hidden = false;
    }
  }

  function frame(f) {
    if (f.type === 'mention' && f.mention) {
      state.items = [f.mention, ...state.items.filter((m) => m.id !== f.mention.id)];
      renderList();
      hooks.announce(`${f.mention.by_name || 'Jemand'} hat Sie in einer Notiz erwähnt.`);
      hooks.beep();
    } else if (f.type === 'mention_read') {
      const m = state.items.find((x) => x.id === f.mention_id);
      if (m && !m.read_at) { m.read_at = new Date().toISOString(); renderList(); }
    } else if (f.type === 'viewing' && S.me && f.agent_id !== S.me.id) {
      heard(state.seen, f, Date.now());
      if (f.conversation_id === S.openId) {
        renderViewers();
        if (f.replying && state.replying) onReplyInput();
      }
    }
  }

  function stop() { clearInterval(state.timer); state.viewing = null; state.items = []; state.seen.clear(); }

  $('reply-text').addEventListener('input', onReplyInput);
  $('reply-warning-close').addEventListener('click', () => { $('reply-warning').hidden = true; $('reply-text').focus(); });
  $('reply-form').addEventListener('submit', () => { state.replying = false; setTimeout(() => sendViewing(), 0); });

  return { load, frame, opened, stop };
}
