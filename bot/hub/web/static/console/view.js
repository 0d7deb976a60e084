/* The console's DOM rendering: queue, conversation list, open conversation
 * (header, transcript, summary, notes), tickets and status bits. It reads the
 * ConsoleState from state.js and labels via S.label(); user actions go back to
 * main.js through the handlers h: openConversation(id), claim(id), openTicketConversation(id), closeTicket(t),
 * sendMail(t, text), saveTeams(agent, keys). Teams: the queue's team column and filter, "An Team übergeben",
 * the teams view (status; admins: memberships); tickets: "Antwort per E-Mail" with the mails sent.
 */
import { byId as $, clear, el, svgEl } from '../shared/dom.js';
import { render as renderText } from '../shared/format.js';
import { knowledgeNote, knowledgePageText } from './gaps-state.js';
import { UNKNOWN_CUSTOMER, customerName, handoffStory } from './story.js';
import { tagList } from './tickets.js';
import {
  elevated, fmtDuration, fmtTime, headerInfo, mailBox, moodClass, pct, senderOf, summaryFields, teamStatus,
} from './state.js';

export const TITLE = 'Kundendialog Konsole';
const SUMMARY_LABEL = {
  topic: 'Thema', request: 'Anliegen', latest_topic: 'Zuletzt gefragt', intents: 'Erkannte Absichten', order_id: 'Bestellnummer', email: 'E-Mail',
  email_verified: 'E-Mail verifiziert', order_status: 'Bestellstatus', bot_actions: 'Aktionen des Bots', knowledge_pages: 'Gezeigte Hilfeseiten',
  mood_trend: 'Frust-Verlauf', register: 'Anrede', last_messages: 'Letzte Nachrichten',
};
const HINT = {
  closed: 'Das Gespräch ist abgeschlossen.',
  queued: 'Übernehmen Sie das Gespräch, um zu antworten.',
  other: 'Sie bearbeiten dieses Gespräch nicht.',
};

export function createView(S, h) {
  const channelLabel = (c) => S.label('channel', c, '–');
  const waitText = (since) => 'wartet seit ' + fmtDuration((Date.now() - since) / 1000);

  function showError(msg) {
    $('error-text').textContent = msg || 'Es ist ein Fehler aufgetreten.';
    $('error-banner').hidden = false;
  }
  const hideError = () => { $('error-banner').hidden = true; };

  // A visible confirmation of an action (role=status: read once as well), gone after 10 s or on close.
  let noticeTimer = null;
  function confirmAction(msg) {
    clearTimeout(noticeTimer);
    $('notice-text').textContent = msg;
    $('notice-banner').hidden = false;
    noticeTimer = setTimeout(() => { $('notice-banner').hidden = true; }, 10000);
  }

  function showTab(name) {
    document.querySelectorAll('.tabs [role=tab]').forEach((t) => t.setAttribute('aria-selected', String(t.dataset.tab === name)));
    $('view-chats').hidden = name !== 'chats';
    $('view-tickets').hidden = name !== 'tickets';
    $('view-teams').hidden = name !== 'teams';
  }

  function updateTitle() {
    const n = S.queue.length;
    document.title = n ? `(${n}) ${TITLE}` : TITLE;
  }

  function moodBar(v) {
    const fill = el('span', { class: `mood-fill ${moodClass(v)}` });
    fill.style.width = `${pct(v)}%`; // CSSOM, not a style attribute: the console's CSP forbids inline styles
    return el('span', { class: 'mood', title: `Frust ${pct(v)} %` }, [
      el('span', { class: 'mood-label', text: 'Frust' }),
      el('span', { class: 'mood-bar' }, [fill]),
    ]);
  }

  // A short message for screen readers (and nothing on screen): team transfer, saved memberships …
  function announce(msg) {
    const live = $('console-status');
    live.textContent = '';
    setTimeout(() => { live.textContent = msg; }, 50);
  }

  function renderTeamFilter() {
    const teams = S.filterTeams();
    $('queue-team-row').hidden = !teams.length;
    const sel = $('queue-team');
    clear(sel).appendChild(el('option', { value: '', text: elevated(S.me) ? 'Alle Teams' : 'Alle meine Teams' }));
    teams.forEach((t) => sel.appendChild(el('option', { value: t.key, text: t.name })));
    sel.value = S.teamFilter;
  }

  // "Schlagwort" above the lists: the tags the waiting and my conversations carry (none: hidden).
  function renderTagFilter() {
    const tags = S.tagChoices();
    if (S.tagFilter && !tags.some((t) => String(t.id) === S.tagFilter)) S.tagFilter = '';
    $('queue-tag-row').hidden = !tags.length;
    const sel = $('queue-tag');
    clear(sel).appendChild(el('option', { value: '', text: 'Alle Schlagwörter' }));
    tags.forEach((t) => sel.appendChild(el('option', { value: String(t.id), text: t.name })));
    sel.value = S.tagFilter;
  }

  function renderQueue() {
    renderTagFilter();
    const list = clear($('queue'));
    const shown = S.visibleQueue();
    $('queue-count').textContent = String(shown.length);
    if (!shown.length) list.appendChild(el('li', { class: 'empty', text: S.teamFilter ? `Niemand wartet auf ${S.teamName(S.teamFilter)}.` : S.tagFilter ? 'Niemand mit diesem Schlagwort wartet.' : 'Niemand wartet.' }));
    shown.forEach((q) => {
      const urgent = q.priority === 'urgent';
      const item = el('li', {
        class: 'queue-item' + (urgent ? ' urgent' : '') + (q.conversation_id === S.openId ? ' active' : ''),
        'data-id': q.conversation_id, tabindex: '0',
      }, [
        el('div', { class: 'row' }, [
          el('span', { class: 'badge ' + (urgent ? 'badge-urgent' : 'badge-normal'), text: urgent ? 'Dringend' : 'Normal' }),
          el('span', { class: 'reason', text: q.reason_label || q.reason || '' }),
          el('span', { class: 'channel', text: channelLabel(q.channel) }),
        ]),
        el('div', { class: 'name', text: customerName(q, q) }),
        S.teams.configured && q.team ? el('div', { class: 'queue-team small' }, [
          el('span', { class: 'muted', text: 'Team: ' }), el('span', { class: 'team-name', text: q.team_name || S.teamName(q.team) })]) : null,
        q.topic ? el('div', { class: 'topic muted', text: q.topic }) : null,
        tagList(q.tags),
        el('div', { class: 'row' }, [
          q.mood != null ? moodBar(q.mood) : null,
          el('span', { class: 'wait', 'data-since': String(q._since), text: waitText(q._since) }),
          el('button', { type: 'button', class: 'claim-btn primary small', text: 'Übernehmen' }),
        ]),
      ]);
      item.addEventListener('click', (e) => {
        if (e.target.closest('.claim-btn')) h.claim(q.conversation_id);
        else h.openConversation(q.conversation_id);
      });
      item.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' && e.target === item) h.openConversation(q.conversation_id).then(focusConversation);
      });
      list.appendChild(item);
    });
  }

  function tickWaits() {
    document.querySelectorAll('.wait[data-since]').forEach((w) => { w.textContent = waitText(Number(w.dataset.since)); });
  }

  function renderConvList() {
    renderTagFilter();
    const list = clear($('conv-list'));
    const convs = S.convList();
    if (!convs.length) list.appendChild(el('li', { class: 'empty', text: S.tagFilter ? 'Keine Gespräche mit diesem Schlagwort.' : 'Keine aktiven Gespräche.' }));
    convs.forEach((c) => {
      const item = el('li', {
        class: 'conv-item' + (c.conversation_id === S.openId ? ' active' : '') + (c.state === 'closed' ? ' closed' : ''),
        'data-id': c.conversation_id, tabindex: '0',
      }, [
        el('div', { class: 'row' }, [
          el('span', { class: 'name', text: c.display_name || UNKNOWN_CUSTOMER }),
          c.unread ? el('span', { class: 'unread', text: String(c.unread), title: 'Ungelesene Nachrichten' }) : null,
        ]),
        el('div', { class: 'row muted small' }, [
          el('span', { text: `${channelLabel(c.channel)} · ${S.label('conversation', c.state)}` }),
          el('span', { text: fmtTime(c.last_message_at) }),
        ]),
        tagList(c.tags),
      ]);
      const openIt = () => h.openConversation(c.conversation_id);
      item.addEventListener('click', openIt);
      item.addEventListener('keydown', (e) => { if (e.key === 'Enter') openIt().then(focusConversation); });
      list.appendChild(item);
    });
  }

  // After opening from the keyboard the lists are redrawn: focus goes into the opened conversation
  // (its first action, else the reply box, else its title), never back to <body>.
  function focusConversation() {
    if ($('conv-body').hidden) return;
    const target = [$('claim-btn'), $('reply-text')].find((n) => !n.hidden && !n.disabled && n.offsetParent !== null);
    (target || $('conv-title')).focus();
  }

  function showConversation() {
    $('conv-empty').hidden = true;
    $('conv-body').hidden = false;
    clear($('transcript'));
  }

  function renderConvHeader() {
    const c = (S.open && S.open.conversation) || {};
    const info = headerInfo(c, S.me, S.agents);
    $('conv-title').textContent = customerName(c, S.open && S.open.handoff);
    const parts = [channelLabel(c.channel), 'Status: ' + S.label('conversation', c.state, '–')];
    if (c.register) parts.push(c.register === 'du' ? 'Kunde duzt' : 'Kunde siezt');
    if (info.assignee) parts.push('Bearbeitet von ' + info.assignee.name);
    $('conv-meta').textContent = parts.join(' · ');
    $('claim-btn').hidden = !info.claim;
    $('transfer-group').hidden = !info.active;
    $('team-transfer-group').hidden = !info.active || !S.transferTeams().length;
    $('handback-btn').hidden = !info.active;
    $('close-group').hidden = !info.close;
    $('reply-text').disabled = $('reply-send').disabled = $('reply-attach').disabled = !info.active;
    $('reply-hint').textContent = HINT[info.hint] || '';
    renderTransferOptions();
    renderTeamTransferOptions();
  }

  function renderTeamTransferOptions() {
    const sel = $('team-transfer-select');
    const prev = sel.value;
    clear(sel).appendChild(el('option', { value: '', text: 'Team wählen …' }));
    S.transferTeams().forEach((t) => sel.appendChild(el('option', { value: t.key, text: `${t.name} (${t.open ? 'geöffnet' : 'geschlossen'}, ${t.online} online)` })));
    sel.value = prev;
    if (sel.value !== prev) sel.value = '';
  }

  // --- Teams view: status of every team; admins set memberships --------------------------
  function renderTeams() {
    $('tab-teams').hidden = !S.teams.configured;
    const body = clear($('teams-body'));
    S.teams.teams.forEach((t) => {
      body.appendChild(el('tr', { 'data-team': t.key }, [
        el('th', { scope: 'row', text: t.name + (S.teams.mine.includes(t.key) && !elevated(S.me) ? ' (mein Team)' : '') }),
        el('td', {}, [el('span', { class: 'badge ' + (t.open ? 'badge-ok' : 'badge-warn'), text: t.open ? 'geöffnet' : 'geschlossen' })]),
        el('td', { text: t.open ? 'jetzt' : t.next_available || '–' }),
        el('td', { class: 'team-waiting', text: String(t.waiting || 0) }),
        el('td', { class: 'team-online', text: String(t.online || 0) }),
        el('td', { class: 'small', text: t.hours_text || '' }),
      ]));
    });
    $('teams-status').textContent = S.teams.teams.map(teamStatus).join(' · ');
    const admin = !!S.me && S.me.role === 'admin' && S.teams.configured;
    $('team-members').hidden = !admin;
    if (admin) renderMembers();
  }

  function renderMembers() {
    const box = clear($('team-members-list'));
    S.agents.forEach((a) => {
      const chosen = S.memberTeams(a.id);
      const legendId = `members-${a.id}`;
      const form = el('form', { class: 'member-row', 'data-agent': String(a.id) }, [
        el('fieldset', {}, [
          el('legend', { id: legendId, text: `${a.name} (${a.email})` }),
          ...S.teams.teams.map((t) => el('label', { class: 'check' }, [
            el('input', { type: 'checkbox', name: 'team', value: t.key, checked: chosen.includes(t.key) }), ' ' + t.name])),
          el('button', { type: 'submit', class: 'small', 'aria-describedby': legendId, text: 'Teams speichern' }),
        ]),
      ]);
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        const keys = Array.from(form.querySelectorAll('input[name=team]:checked')).map((i) => i.value);
        h.saveTeams(a, keys);
      });
      box.appendChild(form);
    });
  }

  function renderTransferOptions() {
    const sel = $('transfer-select');
    const prev = sel.value;
    clear(sel).appendChild(el('option', { value: '', text: 'Mitarbeiter wählen …' }));
    S.agents.filter((a) => !S.me || a.id !== S.me.id).forEach((a) => {
      sel.appendChild(el('option', { value: String(a.id), text: `${a.name} (${S.label('agent_status', a.status, '–')})` }));
    });
    sel.value = prev;
    if (sel.value !== prev) sel.value = '';
  }

  // Attachments: a thumbnail that opens the image, or a PDF download; fetched with the agent's token (blob: URLs).
  function attachmentNode(a) {
    const label = `${a.kind === 'image' ? 'Foto' : 'PDF-Dokument'}: ${a.name}`;
    const link = el('a', { class: 'msg-file', href: '#', 'aria-label': a.kind === 'image' ? `${label} – in voller Größe öffnen` : null,
      text: a.kind === 'image' ? null : `${label} herunterladen` });
    if (a.kind === 'image') {
      const img = el('img', { class: 'msg-thumb', alt: label });
      link.appendChild(img);
      h.loadFile(a, 'thumb').then((url) => { img.src = url; }, () => { img.alt = label + ' (nicht ladbar)'; });
    }
    link.addEventListener('click', (e) => {
      e.preventDefault();
      h.loadFile(a, 'full').then((url) => {
        if (a.kind === 'image') window.open(url, '_blank', 'noopener');
        else el('a', { href: url, download: a.name }).click();
      }, () => showError('Der Anhang konnte nicht geladen werden.'));
    });
    return el('div', { class: 'msg-text msg-attachment' }, [link]);
  }

  function appendMessage(m) {
    if (!S.takeMessage(m)) return;
    const sender = senderOf(m);
    const who = sender === 'agent' && m.agent_name ? `${S.label('sender', 'agent')} · ${m.agent_name}` : S.label('sender', sender);
    const meta = el('div', { class: 'msg-meta' }, [
      el('span', { class: 'msg-who', text: who }),
      el('span', { class: 'msg-time', text: fmtTime(m.created_at) }),
    ]);
    if (sender === 'customer') {
      if (m.intent) meta.appendChild(el('span', { class: 'msg-intent', text: 'Intent: ' + m.intent }));
      if (m.mood != null) meta.appendChild(el('span', { class: 'msg-mood ' + moodClass(m.mood), text: `Frust ${pct(m.mood)} %` }));
    }
    const node = el('div', { class: 'msg msg-' + sender, 'data-sender': sender, 'data-id': m.id || '', 'data-seq': m.seq != null ? String(m.seq) : '' }, [
      meta,
      m.custom && m.custom.attachment && m.custom.attachment.id ? attachmentNode(m.custom.attachment)
        : m.text != null && sender === 'customer' ? el('div', { class: 'msg-text', text: m.text })
          : m.text != null ? renderText(el('div', { class: 'msg-text' }), m.text) : null,
    ]);
    if (m.custom && m.custom.knowledge) node.appendChild(el('div', { class: 'muted small', text: knowledgeNote(m.custom.knowledge) }));
    if (Array.isArray(m.buttons) && m.buttons.length) {
      node.appendChild(el('div', { class: 'msg-buttons' }, m.buttons.map((b) => el('span', { class: 'chip', text: b.title || b.payload }))));
    }
    const t = $('transcript');
    const atBottom = t.scrollHeight - t.scrollTop - t.clientHeight < 60;
    t.appendChild(node);
    if (atBottom || sender === 'agent') t.scrollTop = t.scrollHeight;
    if (sender === 'customer') setCustomerTyping(false);
  }

  // "Kunde schreibt …" under the transcript, for a few seconds after each typing frame (issue 27.3).
  let typingTimer = null;
  function setCustomerTyping(on) {
    clearTimeout(typingTimer);
    $('customer-typing').hidden = !on;
    if (on) typingTimer = setTimeout(() => { $('customer-typing').hidden = true; }, 5000);
  }

  // "gelesen" on the agent messages the customer has seen (seq <= `seq`).
  function setRead(seq) {
    document.querySelectorAll('#transcript .msg-agent[data-seq]').forEach((n) => {
      if (n.dataset.seq === '' || Number(n.dataset.seq) > seq || n.querySelector('.msg-read')) return;
      n.querySelector('.msg-meta').appendChild(el('span', { class: 'msg-read', text: 'gelesen' }));
    });
  }

  // The highest seq of a customer message in the open transcript (null: none).
  function lastCustomerSeq() {
    const seqs = [...document.querySelectorAll('#transcript .msg-customer[data-seq]')].map((n) => Number(n.dataset.seq)).filter((n) => n > 0);
    return seqs.length ? Math.max(...seqs) : null;
  }

  // --- Summary ---------------------------------------------------------------------
  const str = (v) => (v == null ? '–' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  const list = (items, fn) => el('ul', { class: 'plain' }, (items || []).map((x) => el('li', { text: fn ? fn(x) : str(x) })));

  function sparkline(values) {
    const w = 120, hgt = 28, n = values.length;
    const pts = values.map((v, i) => `${n > 1 ? (i * (w - 4)) / (n - 1) + 2 : w / 2},${hgt - 2 - (pct(v) / 100) * (hgt - 4)}`);
    return svgEl('svg', {
      viewBox: `0 0 ${w} ${hgt}`, class: 'sparkline', role: 'img',
      'aria-label': 'Frust-Verlauf: ' + values.map((v) => pct(v) + ' %').join(', '),
    }, [svgEl('polyline', { points: pts.join(' ') })]);
  }

  function summaryValue(key, v, s) {
    switch (key) {
      case 'intents': return Array.isArray(v) ? el('span', { text: v.join(', ') || '–' }) : el('span', { text: str(v) });
      case 'bot_actions': return Array.isArray(v) ? list(v) : el('span', { text: str(v) });
      case 'knowledge_pages': return Array.isArray(v) ? list(v, knowledgePageText) : el('span', { text: str(v) });
      case 'email': {
        const verified = s.email_verified;
        return el('span', {}, [str(v), verified == null ? null
          : el('span', { class: 'badge ' + (verified ? 'badge-ok' : 'badge-warn'), text: verified ? 'verifiziert' : 'nicht verifiziert' })]);
      }
      case 'email_verified': return el('span', { text: v ? 'Ja' : 'Nein' });
      case 'order_status':
        if (v && typeof v === 'object' && !Array.isArray(v)) return list(Object.entries(v), ([k, x]) => `${k}: ${str(x)}`);
        return el('span', { text: str(v) });
      case 'mood_trend': {
        if (!Array.isArray(v) || !v.length) return el('span', { text: '–' });
        const diff = (Number(v[v.length - 1]) || 0) - (Number(v[0]) || 0);
        const trend = diff > 0.1 ? '↗ steigend' : diff < -0.1 ? '↘ sinkend' : '→ gleichbleibend';
        return el('span', { class: 'trend' }, [sparkline(v), el('span', { text: ` ${trend} (zuletzt ${pct(v[v.length - 1])} %)` })]);
      }
      case 'register': return el('span', { text: String(v).toLowerCase() === 'du' ? 'Kunde duzt' : 'Kunde siezt' });
      case 'last_messages':
        return Array.isArray(v) ? list(v, (m) => `${S.label('sender', m && m.sender, '?')}: ${m && m.text != null ? m.text : ''}`) : el('span', { text: str(v) });
      default: return el('span', { text: str(v) });
    }
  }

  function summaryList(s, keys) {
    return el('dl', { class: 'summary' }, keys.flatMap((k) => [
      el('dt', { text: SUMMARY_LABEL[k] || k }), el('dd', {}, [summaryValue(k, s[k], s)])]));
  }

  function renderSummary(handoff, conv) {
    const box = clear($('summary'));
    if (handoff) {
      const urgent = handoff.priority === 'urgent';
      box.appendChild(el('div', { class: 'row' }, [
        el('span', { class: 'badge ' + (urgent ? 'badge-urgent' : 'badge-normal'), text: urgent ? 'Dringend' : 'Normal' }),
        el('strong', { text: handoff.reason_label || handoff.reason || '' }),
      ]));
    }
    const { summary, keys } = summaryFields(handoff, conv);
    if (!keys.length) { box.appendChild(el('p', { class: 'muted', text: 'Keine Zusammenfassung vorhanden.' })); return; }
    if (handoff) box.appendChild(el('p', { class: 'story' }, handoffStory(handoff, conv).map((t) => el('span', { text: t + ' ' }))));
    box.appendChild(summaryList(summary, keys));
    (box.closest('.conv-side') || box).scrollTop = 0; // a new conversation starts at its top
  }

  // --- Notes, canned replies, tickets ---------------------------------------------
  function noteItem(n) {
    return el('li', { class: 'note', 'data-id': n.id || '' }, [
      el('div', { class: 'muted small', text: `${n.agent_name || 'Mitarbeiter'} · ${fmtTime(n.created_at)}` }),
      el('div', { class: 'note-text', text: n.text || '' }),
    ]);
  }
  function renderNotes(notes) {
    const ul = clear($('notes-list'));
    notes.forEach((n) => ul.appendChild(noteItem(n)));
  }
  const addNote = (n) => $('notes-list').appendChild(noteItem(n));

  // The request list itself: tickets.js (issue 27.7); it uses summaryList and mailSection from here.

  // "Antwort per E-Mail" of a ticket: a form (disabled with the reason when mail is off or there is no
  // address) and the mails of the ticket with their state.
  function mailSection(t) {
    const id = String(t.id);
    const box = mailBox(t, S.mailEnabled);
    const text = el('textarea', { id: `mail-text-${id}`, class: 'mail-text', rows: '3', disabled: !box.enabled,
      'aria-describedby': box.enabled ? null : `mail-hint-${id}` });
    text.value = S.mailDrafts.get(id) || '';
    text.addEventListener('input', () => S.mailDrafts.set(id, text.value));
    const form = el('form', { class: 'mail-form' }, [
      el('label', { for: `mail-text-${id}`, text: box.enabled ? `Antwort an ${String(t.contact).trim()}` : 'Antwort' }),
      text,
      box.enabled ? null : el('p', { id: `mail-hint-${id}`, class: 'mail-hint small', text: box.hint }),
      el('div', { class: 'row' }, [
        el('button', { type: 'submit', class: 'mail-send small', disabled: !box.enabled, text: 'E-Mail senden' }),
        el('span', { id: `mail-status-${id}`, class: 'mail-status small', role: 'status' }),
      ]),
    ]);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const value = text.value.trim();
      if (!value) { text.focus(); setMailStatus(id, 'Bitte geben Sie eine Antwort ein.'); return; }
      h.sendMail(t, value);
    });
    const list = el('ul', { id: `mail-list-${id}`, class: 'mail-list', 'aria-label': 'Gesendete E-Mails' });
    fillMails(list, S.mails.get(id));
    return el('section', { class: 'mail-box', 'aria-labelledby': `mail-head-${id}` }, [
      el('h3', { id: `mail-head-${id}`, class: 'mail-head', text: 'Antwort per E-Mail' }), form, list]);
  }

  function fillMails(list, mails) {
    clear(list);
    (mails || []).forEach((m) => {
      const failed = m.state === 'failed';
      list.appendChild(el('li', { class: 'mail-item', 'data-state': m.state }, [
        el('span', { class: 'badge ' + (m.state === 'sent' ? 'badge-ok' : failed ? 'badge-urgent' : 'badge-normal'), text: S.label('mail', m.state) }),
        ' ',
        el('span', { class: 'mail-subject', text: m.subject || '' }),
        el('span', { class: 'muted small', text: ` an ${m.to || '–'} · ${fmtTime(m.sent_at || m.created_at)}` }),
        failed && m.last_error ? el('span', { class: 'small', text: ` (${m.last_error})` }) : null,
      ]));
    });
  }

  function renderTicketMails(ticketId) {
    const list = $(`mail-list-${ticketId}`);
    if (list) fillMails(list, S.mails.get(String(ticketId)));
  }

  function setMailStatus(ticketId, msg) {
    const status = $(`mail-status-${ticketId}`);
    if (status) status.textContent = msg;
  }

  function setWsStatus(ok) {
    const dot = $('ws-status');
    dot.classList.toggle('online', ok);
    dot.title = ok ? 'Echtzeitverbindung aktiv' : 'Echtzeitverbindung getrennt – neuer Versuch läuft';
  }

  function showLogin() {
    $('app').hidden = true;
    $('login-view').hidden = false;
    document.title = TITLE;
    $('login-email').focus();
  }

  function showApp() {
    $('login-view').hidden = true;
    $('app').hidden = false;
    $('agent-name').textContent = S.me.name || S.me.email || '';
  }

  return {
    showError, hideError, showTab, updateTitle, renderQueue, tickWaits, renderConvList, showConversation,
    renderConvHeader, renderTransferOptions, appendMessage, renderSummary, renderNotes, addNote,
    summaryList, mailSection, setWsStatus, showLogin, showApp, announce, renderTeamFilter, renderTeams, renderTicketMails,
    setMailStatus, confirmAction, setCustomerTyping, setRead, lastCustomerSeq, focusConversation,
  };
}
