/* DOM helpers shared by the chat widget and the agent console.
 * One copy of el() for both sides; nothing here runs at import time, so
 * modules that only import it can still be loaded by node for tests.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

// Creates an element. attrs: 'class' sets className, 'text' sets textContent,
// 'on*' adds listeners, true/false/null toggle boolean attributes. children:
// nodes or strings (text nodes); null, undefined and false are skipped.
export function el(tag, attrs, children) {
  const n = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => {
    if (v == null || v === false) return;
    if (k === 'class') n.className = v;
    else if (k === 'text') n.textContent = v;
    else if (k.startsWith('on')) n.addEventListener(k.slice(2), v);
    else n.setAttribute(k, v === true ? '' : v);
  });
  (children || []).forEach((c) => {
    if (c == null || c === false) return;
    n.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  });
  return n;
}

// Creates an SVG element with the given attributes and children.
export function svgEl(tag, attrs, children) {
  const n = document.createElementNS(SVG_NS, tag);
  Object.entries(attrs || {}).forEach(([k, v]) => n.setAttribute(k, v));
  (children || []).forEach((c) => c && n.appendChild(c));
  return n;
}

// Removes all children and returns the node.
export function clear(n) {
  n.textContent = '';
  return n;
}

export const byId = (id) => document.getElementById(id);
