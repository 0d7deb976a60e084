/* The request (ticket) view (issue 27.7, 27.9): filters and sorting, one card per request or per group of
 * one customer's repeated requests, with the number the customer was told, status moves, assignee,
 * take-over into a chat, tags, and the answer by e-mail (or, with mail off, a plain explanation).
 * Admins manage the tags (rename, colour, merge) below the list. State logic: tickets-state.js.
 * ui: {showError, confirm, mailSection(t), summaryList(summary, keys), openConversation(id),
 *      conversationTaken(conversation), loadMails(id)}
 */
import { byId as $, clear, el } from '../shared/dom.js';
import { elevated, mailBox, summaryFields } from './state.js';
import {
  DEFAULT_FILTERS, MAIL_OFF_TEXT, SORTS, STATUS_FILTERS, assigneeText, cards, contactText, fmtDateTime, groupText,
  matches, movesFrom, number, takeOverLabel, ticketQuery,
} from './tickets-state.js';

const enc = encodeURIComponent;

export function tagChip(tag, onRemove) {
  const chip = el('span', { class: 'tag-chip', 'data-tag': String(tag.id) }, [el('span', { class: 'tag-dot' }), tag.name]);
  if (tag.color) chip.querySelector('.tag-dot').style.background = tag.color; // CSSOM: the CSP forbids style attributes
  if (onRemove) {
    chip.appendChild(el('button', {
      type: 'button', class: 'tag-remove', 'aria-label': `Schlagwort ${tag.name} entfernen`, text: '×', onclick: onRemove,
    }));
  }
  return chip;
}

// A read-only list of tag chips (queue, "Meine Gespräche", customer history); null without tags.
export function tagList(tags) {
  return tags && tags.length ? el('ul', { class: 'tag-list', 'aria-label': 'Schlagwörter' }, tags.map((t) => el('li', {}, [tagChip(t)]))) : null;
}

// An "add a tag" form; submit(name) returns a promise.
export function tagForm(idPrefix, submit) {
  const input = el('input', { id: `${idPrefix}-input`, class: 'tag-input', type: 'text', maxlength: '40', list: 'tag-names', autocomplete: 'off' });
  const form = el('form', { class: 'tag-form row' }, [
    el('label', { for: `${idPrefix}-input`, class: 'sr-only', text: 'Schlagwort hinzufügen' }),
    input,
    el('button', { type: 'submit', class: 'small', text: 'Schlagwort hinzufügen' }),
  ]);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const name = input.value.trim();
    if (!name) { input.focus(); return; }
    submit(name).then((ok) => { if (ok) input.value = ''; });
  });
  return form;
}

export function createTickets(S, call, ui) {
  const filters = Object.assign({}, DEFAULT_FILTERS);
  S.allTags = S.allTags || [];

  async function run(fn) {
    try { return await fn(); } catch (e) { ui.showError(e.message); return undefined; }
  }

  function fillSelect(sel, options, value) {
    clear(sel);
    options.forEach(([v, text]) => sel.appendChild(el('option', { value: v, text })));
    sel.value = value;
  }

  function renderFilters() {
    fillSelect($('ticket-status'), STATUS_FILTERS, filters.status);
    fillSelect($('ticket-sort'), SORTS, filters.sort);
    const teams = S.teams.configured ? (elevated(S.me) ? S.teams.teams : S.teams.teams.filter((t) => S.teams.mine.includes(t.key))) : [];
    $('ticket-team-label').hidden = teams.length < 2;
    fillSelect($('ticket-team'), [['', 'Alle Teams']].concat(teams.map((t) => [t.key, t.name])), filters.team);
    fillSelect($('ticket-assignee'), [['', 'Alle'], ['me', 'Mir zugewiesen'], ['none', 'Niemandem zugewiesen']], filters.assignee);
    fillSelect($('ticket-tag'), [['', 'Alle Schlagwörter']].concat(S.allTags.map((t) => [String(t.id), t.name])), filters.tag);
    const names = clear($('tag-names'));
    S.allTags.forEach((t) => names.appendChild(el('option', { value: t.name })));
  }

  async function loadTags() {
    const d = await call('GET', '/agent/tags');
    S.allTags = d.tags || [];
    renderFilters();
    renderTagAdmin();
  }

  async function load() {
    const d = await call('GET', `/agent/tickets${ticketQuery(filters)}`);
    S.mailEnabled = !!d.mail_enabled;
    S.setTickets(d.tickets);
    render();
    const n = S.tickets.length;
    $('ticket-list-status').textContent = n === 1 ? '1 Anfrage' : `${n} Anfragen`;
    if (S.mailEnabled) S.tickets.filter((t) => mailBox(t, true).enabled).forEach((t) => run(() => ui.loadMails(t.id)));
  }

  // A live update (websocket frame or an own action): off the list when it no longer matches the filters.
  function upsert(t) {
    if (!t || t.id == null) return;
    S.upsertTicket(t);
    const merged = S.tickets.find((x) => x.id === t.id);
    if (!matches(merged, filters, S.me && S.me.id)) S.tickets = S.tickets.filter((x) => x.id !== t.id);
    render();
  }

  async function act(t, path, body, message) {
    const d = await run(() => call('POST', `/agent/tickets/${enc(t.id)}/${path}`, body));
    if (!d) return false;
    upsert(d.ticket || d);
    if (message) ui.confirm(message);
    return true;
  }

  async function takeOver(t) {
    const d = await run(() => call('POST', `/agent/tickets/${enc(t.id)}/take-over`));
    if (!d) return;
    upsert(d.ticket);
    ui.confirm(d.message);
    if (d.mode === 'chat') ui.conversationTaken(d.conversation);
  }

  function tagsRow(t) {
    const chips = el('ul', { class: 'tag-list', 'aria-label': 'Schlagwörter' },
      (t.tags || []).map((tag) => el('li', {}, [tagChip(tag, () => run(async () => {
        upsert(await call('DELETE', `/agent/tickets/${enc(t.id)}/tags/${enc(tag.id)}`));
      }))])));
    return el('div', { class: 'ticket-tags' }, [chips, tagForm(`ticket-tag-${t.id}`, (name) => run(async () => {
      upsert(await call('POST', `/agent/tickets/${enc(t.id)}/tags`, { name }));
      if (!S.allTags.some((x) => x.name.toLowerCase() === name.toLowerCase())) run(loadTags);
      return true;
    }))]);
  }

  function actions(t) {
    const mine = S.me && t.assignee_id === S.me.id;
    const moves = movesFrom(t.status || 'open');
    const active = t.status !== 'done';
    return el('div', { class: 'row ticket-actions' }, [
      active && t.conversation_id ? el('button', { type: 'button', class: 'primary small ticket-take', text: takeOverLabel(t), onclick: () => takeOver(t) }) : null,
      active && !mine ? el('button', { type: 'button', class: 'small ticket-assign', text: 'Mir zuweisen',
        onclick: () => act(t, 'assign', { agent_id: S.me.id }, `Vorgangsnummer ${number(t)} ist Ihnen zugewiesen.`) }) : null,
      active && mine ? el('button', { type: 'button', class: 'small ticket-unassign', text: 'Freigeben',
        onclick: () => act(t, 'assign', { agent_id: null }, `Vorgangsnummer ${number(t)} ist wieder frei.`) }) : null,
      ...moves.map(([to, text]) => el('button', {
        type: 'button', class: 'small ticket-move', 'data-to': to, text,
        onclick: () => act(t, 'status', { status: to }, `Vorgangsnummer ${number(t)}: ${S.label('ticket', to)}.`),
      })),
      t.conversation_id ? el('button', { type: 'button', class: 'link', text: 'Gespräch ansehen', onclick: () => ui.openConversation(t.conversation_id) }) : null,
    ]);
  }

  function mailPart(t) {
    if (!S.mailEnabled) return el('p', { class: 'mail-off small', text: MAIL_OFF_TEXT });
    return ui.mailSection(t);
  }

  function groupPart(card) {
    if (!card.more.length) return null;
    return el('details', { class: 'ticket-group' }, [
      el('summary', { text: `Weitere Anfragen: ${card.more.map((t) => `Nr. ${number(t)}`).join(', ')}` }),
      el('ul', {}, card.more.map((t) => el('li', {}, [
        el('strong', { text: `Vorgangsnummer ${number(t)}` }),
        ` · ${S.label('ticket', t.status || 'open')} · ${fmtDateTime(t.created_at)}`,
        t.note ? el('span', { class: 'muted', text: ` – ${t.note}` }) : null,
      ]))),
    ]);
  }

  function render() {
    const box = clear($('tickets'));
    const open = S.openTicketCount();
    $('ticket-count').textContent = String(open);
    $('ticket-count').hidden = !open;
    if (!S.tickets.length) { box.appendChild(el('p', { class: 'muted', text: 'Keine Anfragen für diese Auswahl.' })); return; }
    cards(S.tickets).forEach((card) => {
      const t = card.ticket;
      const status = t.status || 'open';
      const fields = t.summary && typeof t.summary === 'object' ? summaryFields({ summary: t.summary }, null) : null;
      const count = card.more.length + 1;
      box.appendChild(el('article', {
        class: `ticket status-${status}`, 'data-id': String(t.id), 'aria-labelledby': `ticket-head-${t.id}`,
      }, [
        el('div', { class: 'row ticket-head' }, [
          el('h3', { id: `ticket-head-${t.id}`, class: 'ticket-number', text: `Vorgangsnummer ${number(t)}` }),
          el('span', { class: `badge ticket-status badge-${status}`, text: S.label('ticket', status) }),
          count > 1 ? el('span', { class: 'badge badge-group', text: groupText(count) }) : null,
        ]),
        el('p', { class: 'ticket-meta small' }, [
          el('strong', { class: 'contact', text: contactText(t) }),
          ` · eingegangen ${fmtDateTime(t.created_at)}`,
          t.team ? ` · Team ${S.teamName(t.team)}` : '',
          ` · ${assigneeText(t)}`,
          t.reason_label || t.reason ? ` · Grund: ${t.reason_label || t.reason}` : '',
          status === 'done' && t.closed_at ? ` · erledigt ${fmtDateTime(t.closed_at)}${t.closed_by_name ? ` von ${t.closed_by_name}` : ''}` : '',
        ]),
        t.note ? el('p', { class: 'ticket-note', text: t.note }) : null,
        fields ? ui.summaryList(fields.summary, fields.keys) : null,
        tagsRow(t),
        actions(t),
        groupPart(card),
        mailPart(t),
      ]));
    });
  }

  // --- Admins: rename, colour and merge tags --------------------------------------------------------
  function renderTagAdmin() {
    const section = $('tag-admin');
    const admin = !!S.me && S.me.role === 'admin';
    section.hidden = !admin;
    if (!admin) return;
    const list = clear($('tag-admin-list'));
    if (!S.allTags.length) { list.appendChild(el('p', { class: 'muted small', text: 'Noch keine Schlagwörter.' })); return; }
    S.allTags.forEach((tag) => {
      const id = `tag-${tag.id}`;
      const name = el('input', { id: `${id}-name`, type: 'text', maxlength: '40', value: tag.name });
      const color = el('input', { id: `${id}-color`, type: 'color', value: tag.color || '#5b6673' });
      const into = el('select', { id: `${id}-into` }, [el('option', { value: '', text: 'Zusammenführen mit …' })]
        .concat(S.allTags.filter((o) => o.id !== tag.id).map((o) => el('option', { value: String(o.id), text: o.name }))));
      const counts = `${tag.conversations || 0} Gespräche, ${tag.tickets || 0} Anfragen`;
      list.appendChild(el('div', { class: 'tag-admin-row row', 'data-tag': String(tag.id) }, [
        el('label', { for: `${id}-name`, class: 'sr-only', text: `Name von ${tag.name}` }), name,
        el('label', { for: `${id}-color`, class: 'sr-only', text: `Farbe von ${tag.name}` }), color,
        el('button', { type: 'button', class: 'small', text: 'Speichern', onclick: () => run(async () => {
          await call('POST', `/agent/tags/${enc(tag.id)}`, { name: name.value, color: color.value });
          ui.confirm(`Schlagwort „${name.value.trim()}“ gespeichert.`);
          await loadTags();
          await load();
        }) }),
        el('label', { for: `${id}-into`, class: 'sr-only', text: `${tag.name} zusammenführen mit` }), into,
        el('button', { type: 'button', class: 'small', text: 'Zusammenführen', onclick: () => run(async () => {
          if (!into.value) { ui.showError('Bitte wählen Sie das Schlagwort, in das zusammengeführt wird.'); into.focus(); return; }
          const kept = await call('POST', `/agent/tags/${enc(tag.id)}/merge`, { into_id: Number(into.value) });
          ui.confirm(`„${tag.name}“ ist jetzt „${kept.name}“.`);
          await loadTags();
          await load();
        }) }),
        el('span', { class: 'muted small', text: counts }),
      ]));
    });
  }

  ['ticket-status', 'ticket-team', 'ticket-assignee', 'ticket-tag', 'ticket-sort'].forEach((id) => {
    $(id).addEventListener('change', (e) => {
      filters[id.replace('ticket-', '')] = e.target.value;
      run(load);
    });
  });

  return { load, loadTags, render, renderFilters, upsert, filters };
}
