/* The popup listbox the console's pickers share (macros.js "/" in the reply box, mention-picker.js "@" in
 * the note box): the text box keeps the focus and points at the highlighted option with
 * aria-activedescendant; the arrow keys only move the highlight. One place for showing, closing and
 * moving, so both pickers behave the same for keyboard and screen-reader users. A picker's `state` holds
 * `shown` (the options), `active` (the highlighted index, -1 for none) and `open`; `ids` names its
 * popup, list and status line. */
import { byId as $ } from '../shared/dom.js';
import { moveActive } from './macros-state.js';

export function showListbox(state, box, ids) {
  state.open = true;
  $(ids.popup).hidden = false;
  box.setAttribute('aria-controls', ids.list);
}

export function closeListbox(state, box, ids) {
  if (!state.open) return;
  state.open = false;
  state.active = -1;
  $(ids.popup).hidden = true;
  box.removeAttribute('aria-activedescendant');
  $(ids.status).textContent = '';
}

// An arrow or page key moves the highlight and is used up (true); Home/End stay the box's (caret).
export function moveHighlight(state, e, render) {
  const next = moveActive(state.active, state.shown.length, e.key);
  if (next == null || e.key === 'Home' || e.key === 'End') return false;
  e.preventDefault();
  e.stopPropagation();
  state.active = next;
  render();
  return true;
}
