/* "Makros" on the account view (issue 27.10): the macros this agent may use, and a form to create or
 * change them - personal for everyone, shared (one team or all) for supervisors and admins. The hub
 * checks everything (unknown variables, teams, who may share); its German message is shown as is. */
import { byId as $, clear, el } from '../shared/dom.js';
import { macroExtras } from './macros-state.js';

const enc = encodeURIComponent;

export function createMacroAdmin(S, call, hooks) {
  const state = { macros: [], teams: [], editing: null };
  const elevated = () => S.me && (S.me.role === 'supervisor' || S.me.role === 'admin');
  const teamName = (k) => (state.teams.find((t) => t.key === k) || {}).name || k;

  function status(text) { $('macro-form-status').textContent = text; }

  function mayEdit(m) { return m.scope === 'personal' || elevated(); }

  function renderList() {
    const list = clear($('macro-admin-list'));
    if (!state.macros.length) list.appendChild(el('li', { class: 'muted', text: 'Noch keine Makros.' }));
    state.macros.forEach((m) => {
      const extras = macroExtras(m, teamName);
      const scope = m.scope === 'personal' ? 'persönlich' : `geteilt: ${m.team ? teamName(m.team) : 'alle Teams'}`;
      list.appendChild(el('li', { class: 'macro-admin-item', 'data-id': String(m.id) }, [
        el('strong', { text: m.title }),
        el('span', { class: 'muted small', text: ` (${scope})${extras ? ` – ${extras}` : ''}` }),
        mayEdit(m) ? el('span', { class: 'row' }, [
          el('button', { type: 'button', class: 'small', text: 'Bearbeiten', 'aria-label': `${m.title} bearbeiten`, onclick: () => edit(m) }),
          el('button', { type: 'button', class: 'small', text: 'Löschen', 'aria-label': `${m.title} löschen`, onclick: () => remove(m) }),
        ]) : null,
      ]));
    });
  }

  function renderChoices() {
    const action = clear($('macro-action'));
    [['', 'nichts'], ['close', 'abschließen'], ['handback', 'an den Bot zurückgeben'],
      ...state.teams.map((t) => [`transfer_team:${t.key}`, `an Team ${t.name} übergeben`])]
      .forEach(([value, text]) => action.appendChild(el('option', { value, text })));
    const scope = clear($('macro-scope'));
    [['personal', 'nur mich'], ['team:', 'alle Teams'], ...state.teams.map((t) => [`team:${t.key}`, `Team ${t.name}`])]
      .forEach(([value, text]) => scope.appendChild(el('option', { value, text })));
    $('macro-scope-row').hidden = !elevated();
  }

  async function load() {
    try {
      const [d, t] = await Promise.all([call('GET', '/agent/macros'), call('GET', '/agent/teams').catch(() => ({ teams: [] }))]);
      state.macros = d.macros || [];
      state.teams = t.configured ? t.teams || [] : [];
      renderChoices();
      renderList();
    } catch (e) { status(e.message); }
  }

  function reset() {
    state.editing = null;
    $('macro-form').reset();
    $('macro-form-heading').textContent = 'Neues Makro';
    $('macro-cancel').hidden = true;
    $('macro-scope').disabled = false;
  }

  function edit(m) {
    state.editing = m;
    $('macro-form-heading').textContent = `Makro „${m.title}“ ändern`;
    $('macro-title').value = m.title;
    $('macro-text').value = m.text;
    $('macro-text-du').value = m.text_du || '';
    $('macro-tags').value = (m.tags || []).join(', ');
    $('macro-action').value = m.action || '';
    $('macro-scope').value = m.scope === 'personal' ? 'personal' : `team:${m.team || ''}`;
    $('macro-scope').disabled = true; // personal stays personal, shared stays shared
    $('macro-cancel').hidden = false;
    $('macro-title').focus();
  }

  async function remove(m) {
    try {
      await call('DELETE', `/agent/macros/${enc(m.id)}`);
      status(`Makro „${m.title}“ gelöscht.`);
      if (state.editing && state.editing.id === m.id) reset();
      await load();
      hooks.changed();
    } catch (e) { status(e.message); }
  }

  async function save(e) {
    e.preventDefault();
    const scope = $('macro-scope').value || 'personal';
    const body = {
      title: $('macro-title').value,
      text: $('macro-text').value,
      text_du: $('macro-text-du').value.trim() ? $('macro-text-du').value : null,
      tags: $('macro-tags').value.split(',').map((t) => t.trim()).filter(Boolean),
      action: $('macro-action').value || null,
      scope: scope === 'personal' ? 'personal' : 'team',
      team: scope.startsWith('team:') && scope.length > 5 ? scope.slice(5) : null,
    };
    try {
      const m = state.editing
        ? await call('PUT', `/agent/macros/${enc(state.editing.id)}`, body)
        : await call('POST', '/agent/macros', body);
      status(`Makro „${m.title}“ gespeichert.`);
      reset();
      await load();
      hooks.changed();
    } catch (err) { status(err.message); }
  }

  $('macro-form').addEventListener('submit', save);
  $('macro-cancel').addEventListener('click', () => { reset(); status(''); });
  new MutationObserver(() => { if (!$('view-account').hidden) load(); })
    .observe($('view-account'), { attributes: true, attributeFilter: ['hidden'] });

  return { load };
}
