/* The side panels of an open conversation (issue 27.9, 27.12): its tags, and the customer's history -
 * earlier conversations (transcript on demand, merge into this one), requests and orders. The hub sends
 * only what belongs to the agent's teams. State logic: history-state.js.
 * An open request of the open conversation can be taken over from here ("Gespräch ansehen" on a card).
 * ui: {showError, confirm, openId(), conversationTaken(conversation)}
 */
import { byId as $, clear, el } from '../shared/dom.js';
import { earlier, mergeable, recognisedText } from './history-state.js';
import { tagChip, tagForm, tagList } from './tickets.js';
import { fmtDateTime } from './tickets-state.js';

const enc = encodeURIComponent;

export function createHistory(S, call, ui) {
  async function run(fn) {
    try { return await fn(); } catch (e) { ui.showError(e.message); return undefined; }
  }
  const base = (id) => `/agent/conversations/${enc(id)}`;

  // --- Tags of the open conversation ----------------------------------------------------------------
  function renderTags(id, tags) {
    if (ui.openId() !== id) return;
    const list = clear($('conv-tags'));
    if (!tags.length) list.appendChild(el('li', { class: 'muted small', text: 'Keine Schlagwörter.' }));
    tags.forEach((tag) => list.appendChild(el('li', {}, [tagChip(tag, () => run(async () => {
      const d = await call('DELETE', `${base(id)}/tags/${enc(tag.id)}`);
      renderTags(id, d.tags || []);
    }))])));
  }

  const form = tagForm('conv-tag', (name) => run(async () => {
    const id = ui.openId();
    if (!id) return false;
    const d = await call('POST', `${base(id)}/tags`, { name });
    renderTags(id, d.tags || []);
    return true;
  }));
  $('conv-tag-form-slot').appendChild(form);

  // --- History ---------------------------------------------------------------------------------------
  function transcriptBox(id, other) {
    const box = el('div', { class: 'history-transcript', id: `history-transcript-${other}` });
    const button = el('button', { type: 'button', class: 'link small', text: 'Verlauf anzeigen', 'aria-expanded': 'false' });
    button.addEventListener('click', () => run(async () => {
      if (button.getAttribute('aria-expanded') === 'true') {
        clear(box);
        button.setAttribute('aria-expanded', 'false');
        button.textContent = 'Verlauf anzeigen';
        return;
      }
      const d = await call('GET', `${base(id)}/history/${enc(other)}`);
      clear(box).appendChild(el('ol', { class: 'history-messages', 'aria-label': 'Früherer Gesprächsverlauf' },
        (d.messages || []).filter((m) => m.text).map((m) => el('li', { class: `msg-${m.sender}` }, [
          el('span', { class: 'muted small', text: `${S.label('sender', m.sender)} · ${fmtDateTime(m.created_at)}: ` }),
          m.text,
        ]))));
      button.setAttribute('aria-expanded', 'true');
      button.textContent = 'Verlauf ausblenden';
    }));
    return [button, box];
  }

  function render(id, d) {
    if (ui.openId() !== id) return;
    const box = clear($('history'));
    box.appendChild(el('p', { class: 'history-who small', text: recognisedText(d.customer) }));
    const others = earlier(d);
    box.appendChild(el('h4', { text: 'Frühere Gespräche' }));
    if (!others.length) box.appendChild(el('p', { class: 'muted small', text: 'Keine früheren Gespräche.' }));
    else {
      box.appendChild(el('ul', { class: 'history-list' }, others.map((c) => el('li', { 'data-id': c.conversation_id }, [
        el('div', {}, [
          el('strong', { text: fmtDateTime(c.created_at) }),
          ` · ${S.label('channel', c.channel, '–')} · ${S.label('conversation', c.state)}`,
          c.topic ? ` · ${c.topic}` : '',
          c.merged_into ? el('span', { class: 'badge badge-normal', text: 'zusammengeführt' }) : null,
        ]),
        tagList(c.tags),
        el('div', { class: 'row' }, [
          ...transcriptBox(id, c.conversation_id),
          mergeable(c) ? el('button', { type: 'button', class: 'small history-merge', text: 'Mit diesem Gespräch zusammenführen',
            onclick: () => run(async () => {
              const merged = await call('POST', `${base(id)}/merge`, { conversation_id: c.conversation_id });
              ui.confirm('Die Gespräche sind zusammengeführt – beide Verläufe bleiben erhalten.');
              render(id, merged);
            }) }) : null,
        ]),
      ]))));
    }
    box.appendChild(el('h4', { text: 'Anfragen' }));
    if (!d.tickets.length) box.appendChild(el('p', { class: 'muted small', text: 'Keine Anfragen.' }));
    else {
      box.appendChild(el('ul', { class: 'history-list' }, d.tickets.map((t) => el('li', {}, [
        el('strong', { text: `Vorgangsnummer ${t.number}` }),
        ` · ${S.label('ticket', t.status)} · ${fmtDateTime(t.created_at)}`,
        t.reason_label ? ` · ${t.reason_label}` : '',
        t.conversation_id === id && t.status !== 'done' && !(S.open && S.open.conversation && S.open.conversation.state === 'agent')
          ? el('button', { type: 'button', class: 'small primary history-take', text: 'Anfrage übernehmen', onclick: () => run(async () => {
            const taken = await call('POST', `/agent/tickets/${enc(t.id)}/take-over`);
            ui.confirm(taken.message);
            if (taken.mode === 'chat') ui.conversationTaken(taken.conversation);
          }) }) : null,
      ]))));
    }
    box.appendChild(el('h4', { text: 'Bestellungen' }));
    if (!d.orders.length) box.appendChild(el('p', { class: 'muted small', text: 'Keine Bestellungen genannt.' }));
    else {
      box.appendChild(el('ul', { class: 'history-list' }, d.orders.map((o) => el('li', {}, [
        el('strong', { text: `Bestellung ${o.order_id}` }),
        o.status ? ` · ${o.status}` : '',
        ` · zuletzt genannt ${fmtDateTime(o.last_named_at)}`,
      ]))));
    }
  }

  // The open conversation changed: its tags and its customer's history.
  async function open(id) {
    clear($('history')).appendChild(el('p', { class: 'muted small', text: 'Wird geladen …' }));
    clear($('conv-tags'));
    const [tags, history] = await Promise.all([
      run(() => call('GET', `${base(id)}/tags`)),
      run(() => call('GET', `${base(id)}/history`)),
    ]);
    if (tags) renderTags(id, tags.tags || []);
    if (history) render(id, history);
  }

  return { open };
}
