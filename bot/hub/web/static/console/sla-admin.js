/* SLA targets under the reports ("Berichte") (issue 27.13): every agent reads them; admins change them per team
 * (PUT /agent/sla/targets/{team}; the hub checks the numbers and says what is wrong). */
import { byId as $, clear, el } from '../shared/dom.js';

const enc = encodeURIComponent;

export function createSlaAdmin(S, call, hooks) {
  const isAdmin = () => !!(S.me && S.me.role === 'admin');
  const teamName = (key) => (S.teamName ? S.teamName(key) : key);

  function minutesField(team, name, value, label) {
    return el('input', {
      type: 'number', min: '1', step: '1', class: 'sla-minutes', name, value: value == null ? '' : String(value),
      'aria-label': `${label} für Team ${teamName(team)}`,
    });
  }

  function row(t) {
    const cells = isAdmin()
      ? [
        minutesField(t.team, 'first_response_minutes', t.first_response_minutes, 'Erstantwort in Minuten'),
        minutesField(t.team, 'resolution_minutes', t.resolution_minutes, 'Lösung in Minuten'),
        el('input', { type: 'number', min: '1', max: '90', step: '1', name: 'warn_percent', value: String(t.warn_percent), 'aria-label': `Warnen ab Prozent übrig für Team ${teamName(t.team)}` }),
      ]
      : [t.first_response_minutes ?? '–', t.resolution_minutes ?? '–', `${t.warn_percent} %`].map(String);
    const tr = el('tr', { 'data-team': t.team }, [
      el('th', { scope: 'row', text: teamName(t.team) }),
      ...cells.map((c) => el('td', {}, [c])),
      el('td', { text: t.source === 'admin' ? 'Admin' : 'company.yml' }),
      isAdmin() ? el('td', {}, [el('button', { type: 'button', class: 'small', text: 'Speichern', 'aria-label': `SLA für Team ${teamName(t.team)} speichern`, onclick: () => save(t.team, tr) })]) : null,
    ]);
    return tr;
  }

  async function load() {
    try {
      const d = await call('GET', '/agent/sla/targets');
      $('sla-admin-head-save').hidden = !isAdmin();
      const body = clear($('sla-admin-body'));
      (d.targets || []).forEach((t) => body.appendChild(row(t)));
    } catch (e) { $('sla-admin-status').textContent = e.message; }
  }

  async function save(team, tr) {
    const value = (name) => {
      const raw = tr.querySelector(`input[name=${name}]`).value.trim();
      return raw === '' ? null : Number(raw);
    };
    try {
      const t = await call('PUT', `/agent/sla/targets/${enc(team)}`, {
        first_response_minutes: value('first_response_minutes'),
        resolution_minutes: value('resolution_minutes'),
        warn_percent: value('warn_percent') ?? 20,
      });
      $('sla-admin-status').textContent = `SLA für Team ${teamName(t.team)} gespeichert.`;
      hooks.changed();
      await load();
    } catch (e) { $('sla-admin-status').textContent = e.message; }
  }

  new MutationObserver(() => { if (!$('view-reports').hidden) load(); })
    .observe($('view-reports'), { attributes: true, attributeFilter: ['hidden'] });
  return { load };
}
