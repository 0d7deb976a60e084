/* "Nicht verstanden": customer messages the bot did not understand, grouped by similarity. An agent
 * picks the right intent for a group (or the checked messages of it) or marks them as noise; admins
 * write the reviewed examples to data/nlu/learned.yml for the next training.
 * Below them the help pages' content gaps: questions the knowledge base found nothing for or whose
 * answer did not help, by topic; supervisors attach the page that answers one (a test case).
 */
import { byId as $, clear, el } from '../shared/dom.js';
import { kindLabel, pageHint, pageOptions, topicLabel } from './gaps-state.js';
import { fmtRate } from './report-state.js';

const REASON = { fallback: 'nicht verstanden', low_confidence: 'unsicher' };

export function createLearning(api, showError, canAttach = () => false) {
  let intents = [];

  function intentSelect(selected, id) {
    return el('select', { id, 'aria-label': 'Richtiger Intent' }, intents.map((i) => el('option', { value: i, text: i, selected: i === selected })));
  }

  function messageRow(m, gi) {
    const id = `learn-${gi}-${m.message_id}`;
    const guess = m.guess ? `Bot vermutete ${m.guess} (${fmtRate(m.confidence)})` : 'keine Vermutung';
    return el('li', { class: 'learn-message' }, [
      el('input', { type: 'checkbox', id, checked: true, 'data-message': m.message_id }),
      el('label', { for: id }, [
        el('span', { class: 'learn-text', text: m.text }),
        el('span', { class: `badge ${m.reason === 'fallback' ? 'badge-urgent' : 'badge-warn'}`, text: REASON[m.reason] || m.reason }),
        el('span', { class: 'muted small', text: ` ${guess} · ${new Date(m.created_at).toLocaleString('de-DE')}` }),
      ]),
    ]);
  }

  async function review(box, intent) {
    const ids = [...box.querySelectorAll('input[type=checkbox]:checked')].map((c) => c.dataset.message);
    if (!ids.length) { showError('Bitte wählen Sie mindestens eine Nachricht aus.'); return; }
    try {
      await api.call('POST', '/agent/learning/reviews', { message_ids: ids, intent });
      await load();
    } catch (e) { showError(e.message); }
  }

  function groupCard(g, gi) {
    const select = intentSelect(g.suggestion || intents[0], `learn-intent-${gi}`);
    const box = el('section', { class: 'learn-group', 'data-size': String(g.size) }, [
      el('header', { class: 'row' }, [
        el('strong', { text: g.size === 1 ? '1 Nachricht' : `${g.size} ähnliche Nachrichten` }),
        g.escalated ? el('span', { class: 'badge badge-urgent', text: 'führte zur Übergabe' }) : null,
      ]),
      el('ul', { class: 'learn-messages' }, g.messages.map((m) => messageRow(m, gi))),
    ]);
    box.appendChild(el('div', { class: 'row learn-actions' }, [
      el('label', { for: `learn-intent-${gi}`, text: 'Richtiger Intent' }), select,
      el('button', { type: 'button', class: 'primary', text: 'Zuordnen', onclick: () => review(box, select.value) }),
      el('button', { type: 'button', text: 'Als Rauschen markieren', onclick: () => review(box, null) }),
    ]));
    return box;
  }

  function reviewRow(r) {
    return el('li', { class: 'learn-review' }, [
      el('span', { class: 'learn-text', text: r.text }),
      el('span', { class: 'badge badge-normal', text: r.noise ? 'Rauschen' : r.intent }),
      el('span', { class: 'muted small', text: ` ${r.agent_name || ''}` }),
      el('button', { type: 'button', class: 'small', text: 'Rückgängig', onclick: async () => {
        try { await api.call('DELETE', `/agent/learning/reviews/${encodeURIComponent(r.id)}`); await load(); } catch (e) { showError(e.message); }
      } }),
    ]);
  }

  async function attach(item, select, row) {
    try {
      await api.call('POST', '/agent/learning/knowledge-cases', { message_id: item.message_id, page_id: select.value });
      row.replaceChildren(el('span', { class: 'learn-text', text: item.text }),
        el('span', { class: 'badge badge-ok', text: 'als Testfall gespeichert' }));
    } catch (e) { showError(e.message); }
  }

  function gapRow(item, pages, gi, ii) {
    const row = el('li', { class: 'learn-message gap-item', 'data-message': item.message_id }, [
      el('span', { class: 'learn-text', text: item.text }),
      el('span', { class: `badge ${item.kind === 'unhelpful' ? 'badge-urgent' : 'badge-warn'}`, text: kindLabel(item.kind) }),
      el('span', { class: 'muted small', text: ` ${pageHint(item)} · ${new Date(item.created_at).toLocaleString('de-DE')}` }),
    ]);
    if (canAttach() && pages.length) {
      const id = `gap-page-${gi}-${ii}`;
      const select = el('select', { id }, pageOptions(pages, item).map(([value, text]) => el('option', { value, text })));
      row.appendChild(el('div', { class: 'row learn-actions' }, [
        el('label', { for: id, text: 'Richtige Hilfeseite' }), select,
        el('button', { type: 'button', text: 'Seite zuordnen', onclick: () => attach(item, select, row) }),
      ]));
    }
    return row;
  }

  async function loadGaps(days) {
    const found = await api.call('GET', `/agent/learning/knowledge-gaps?days=${encodeURIComponent(days)}`);
    const list = clear($('learning-gaps'));
    $('learning-gaps-count').textContent = `${found.count} Frage${found.count === 1 ? '' : 'n'}`;
    if (!found.groups.length) list.appendChild(el('p', { class: 'muted', text: 'Keine Lücken – die Hilfeseiten hatten auf alles eine Antwort.' }));
    found.groups.forEach((g, gi) => list.appendChild(el('section', { class: 'learn-group gap-group', 'data-topic': g.topic }, [
      el('header', { class: 'row' }, [el('strong', { text: `${topicLabel(g.topic)}: ${g.size === 1 ? '1 Frage' : `${g.size} Fragen`}` })]),
      el('ul', { class: 'learn-messages' }, g.items.map((item, ii) => gapRow(item, found.pages || [], gi, ii))),
    ])));
  }

  async function load() {
    const days = $('learning-days').value;
    try {
      const [found, done] = await Promise.all([api.call('GET', `/agent/learning/candidates?days=${encodeURIComponent(days)}`),
        api.call('GET', '/agent/learning/reviews')]);
      intents = found.intents || [];
      const list = clear($('learning-groups'));
      $('learning-count').textContent = `${found.count} Nachricht${found.count === 1 ? '' : 'en'} in ${found.groups.length} Gruppe${found.groups.length === 1 ? '' : 'n'}` +
        (found.truncated ? ' (die neuesten)' : '');
      if (!found.groups.length) list.appendChild(el('p', { class: 'muted', text: 'Nichts offen – der Bot hat alles verstanden.' }));
      found.groups.forEach((g, gi) => list.appendChild(groupCard(g, gi)));
      $('learning-reviewed').textContent = `${done.examples} Beispiele, ${done.noise} als Rauschen`;
      const reviewed = clear($('learning-reviews'));
      done.reviews.forEach((r) => reviewed.appendChild(reviewRow(r)));
      await loadGaps(days);
    } catch (e) { showError(e.message); }
  }

  $('learning-days').addEventListener('change', load);
  $('learning-export').addEventListener('click', async () => {
    try {
      const r = await api.call('POST', '/agent/learning/export');
      $('learning-export-status').textContent = `${r.examples} Beispiele geschrieben (${r.skipped} schon bekannt). ` +
        'Mit dem nächsten Training (make train) lernt der Bot sie.';
    } catch (e) { showError(e.message); }
  });

  return { load };
}
