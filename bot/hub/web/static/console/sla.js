/* SLA badges in the queue and "Meine Gespräche" and the time left in the open conversation (issue
 * 27.13). Polls GET /agent/sla/active every 30 s and soon after queue changes; the lists are drawn by
 * view.js, so the badges are added whenever a list is drawn anew (MutationObserver on the lists). A
 * conversation turning "knapp" or "überfällig" is announced once. */
import { byId as $, el } from '../shared/dom.js';
import { createSlaAdmin } from './sla-admin.js';
import { slaClass, slaClock, slaLong, slaShort } from './sla-state.js';

const POLL_MS = 30000;

export function createSla(S, call, hooks) {
  const state = { byId: new Map(), timer: null, soon: null, told: new Map() };

  function badge(item) {
    const clock = slaClock(item);
    if (!clock) return null;
    return el('span', { class: `sla-badge ${slaClass(clock.s)}`, title: slaLong(clock.kind, clock.s) }, [
      el('span', { 'aria-hidden': 'true', text: `⏱ ${slaShort(clock.s)}` }),
      el('span', { class: 'sr-only', text: slaLong(clock.kind, clock.s) }),
    ]);
  }

  function decorate(list) {
    list.querySelectorAll('li[data-id]').forEach((li) => {
      const old = li.querySelector('.sla-badge');
      const fresh = badge(state.byId.get(li.dataset.id));
      if (old) old.remove();
      if (fresh) (li.querySelector('.row') || li).appendChild(fresh);
    });
  }

  function renderOpen() {
    const line = $('conv-sla');
    const item = S.openId ? state.byId.get(S.openId) : null;
    const clock = slaClock(item);
    line.hidden = !clock;
    if (!clock) { line.textContent = ''; return; }
    line.className = `sla-line ${slaClass(clock.s)}`;
    line.textContent = slaLong(clock.kind, clock.s);
  }

  function announceChanges() {
    state.byId.forEach((item, id) => {
      const clock = slaClock(item);
      if (!clock || !['warning', 'breached'].includes(clock.s.state)) return;
      const key = `${clock.kind}:${clock.s.state}`;
      if (state.told.get(id) === key) return;
      state.told.set(id, key);
      const who = (S.queue.find((q) => q.conversation_id === id) || {}).display_name;
      hooks.announce(`SLA ${clock.s.state === 'warning' ? 'knapp' : 'überschritten'}${who ? ` bei ${who}` : ''}: ${slaLong(clock.kind, clock.s)}`);
    });
  }

  async function load() {
    try {
      const d = await call('GET', '/agent/sla/active');
      state.byId = new Map((d.conversations || []).map((c) => [c.conversation_id, c]));
    } catch (e) {
      return; // no badges this round; the next poll tries again
    }
    decorate($('queue'));
    decorate($('conv-list'));
    renderOpen();
    announceChanges();
  }

  function start() {
    clearInterval(state.timer);
    state.timer = setInterval(load, POLL_MS);
    load();
  }

  function stop() { clearInterval(state.timer); state.timer = null; state.byId.clear(); }

  // Soon after a queue, conversation or message frame (a claim or a first reply stops a clock).
  function frame(f) {
    if (!state.timer || !['queue', 'conversation', 'message'].includes(f.type)) return;
    clearTimeout(state.soon);
    state.soon = setTimeout(load, 1000);
  }

  ['queue', 'conv-list'].forEach((id) => {
    new MutationObserver(() => decorate($(id))).observe($(id), { childList: true });
  });

  createSlaAdmin(S, call, { changed: () => load() }); // the targets under "Berichte"

  return { start, stop, frame, renderOpen, load };
}
