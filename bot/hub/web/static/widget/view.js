/* The widget's DOM: builds the launcher and panel, renders messages and keeps
 * the message list in the order of the state.js Transcript. Texts live here.
 * All decisions (order, dedupe, status) come from state.js.
 */
import { el, svgEl } from '../shared/dom.js';
import { render as renderText } from '../shared/format.js';
import { senderOf } from './state.js';
import { queueText, texts } from './strings.js';

// The texts in the conversation's register, changed in place by setRegister() (main.js reads them too).
export const T = texts('sie');

export function sizeText(bytes) {
  if (!(bytes > 0)) return '';
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export const errorText = (res) => (res.data && res.data.error && res.data.error.message) || T.genericError;

/* Builds the widget into document.body. h: handlers from main.js —
 * onLauncher(), onClose(), onSubmit(text), onQuickReply(body, text), onCallback(), onEnd(). */
export function createView(hub, h) {
  const link = el('link', { rel: 'stylesheet', href: hub + '/widget.css' });
  // A landmark of its own (shop pages keep all content in landmarks) in German, whatever the page's language.
  const root = el('aside', { id: 'kd-widget', class: 'kd-root', lang: 'de', 'aria-label': 'Chat mit dem Kundenservice', 'data-register': 'sie' });
  root.style.visibility = 'hidden'; // CSSOM, not a style attribute: allowed by a CSP without 'unsafe-inline'
  const show = () => { root.style.visibility = ''; };
  link.addEventListener('load', show);
  link.addEventListener('error', show);
  setTimeout(show, 3000);
  document.head.appendChild(link);

  const launcher = el('button', {
    id: 'kd-launcher', class: 'kd-launcher', type: 'button',
    'aria-label': T.open, 'aria-expanded': 'false', 'aria-controls': 'kd-panel',
    onclick: () => h.onLauncher(),
  }, [svgEl('svg', { viewBox: '0 0 24 24', 'aria-hidden': 'true' }, [
    svgEl('path', { d: 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z' }),
  ])]);

  const statusText = el('span', { class: 'kd-status-text' });
  const cbToggle = el('button', {
    type: 'button', class: 'kd-callback-toggle', text: T.callbackToggle,
    'aria-controls': 'kd-callback-form', 'aria-expanded': 'false',
    onclick: () => toggleCallback(),
  });
  const status = el('div', { id: 'kd-status', class: 'kd-status', role: 'status', hidden: true }, [statusText, cbToggle]);

  const cbContact = el('input', { id: 'kd-cb-contact', class: 'kd-field', type: 'text', autocomplete: 'email', required: true });
  const cbNote = el('textarea', { id: 'kd-cb-note', class: 'kd-field', rows: '2' });
  const noteLabel = el('label', { for: 'kd-cb-note', text: T.note });
  const cbError = el('p', { class: 'kd-form-error', role: 'alert', hidden: true });
  const cbForm = el('form', {
    id: 'kd-callback-form', class: 'kd-callback', hidden: true, novalidate: true,
    onsubmit: (e) => { e.preventDefault(); h.onCallback(); },
  }, [
    el('label', { for: 'kd-cb-contact', text: T.contact }), cbContact,
    noteLabel, cbNote,
    cbError,
    el('div', { class: 'kd-callback-actions' }, [
      el('button', { type: 'button', class: 'kd-btn-secondary', text: T.cancel, onclick: () => toggleCallback(false) }),
      el('button', { type: 'submit', class: 'kd-btn-primary', text: T.callbackSend }),
    ]),
  ]);

  // The log is not live: reordering, resyncs and reloads would read the history again. New bot, agent
  // and system messages are read once through the announcer instead.
  const messages = el('div', { id: 'kd-messages', class: 'kd-messages', role: 'log', 'aria-live': 'off', 'aria-label': 'Nachrichtenverlauf', tabindex: '0' });
  const announcer = el('div', { id: 'kd-announcer', class: 'kd-sr-only', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-atomic': 'false' });
  const typingText = el('span', { class: 'kd-typing-text', text: T.botTyping });
  const typing = el('div', { id: 'kd-typing', class: 'kd-typing', hidden: true }, [
    el('span', { class: 'kd-dots', 'aria-hidden': 'true' }, [el('i'), el('i'), el('i')]), typingText,
  ]);
  const input = el('input', {
    id: 'kd-input', class: 'kd-input', type: 'text', autocomplete: 'off', maxlength: '2000',
    'aria-label': T.inputLabel, placeholder: T.placeholder,
    oninput: () => { if (h.onTyping) h.onTyping(); },
  });
  const sendBtn = el('button', { id: 'kd-send', class: 'kd-send', type: 'submit', text: T.send });
  const fileInput = el('input', {
    id: 'kd-file', class: 'kd-sr-only', type: 'file', tabindex: '-1', 'aria-hidden': 'true',
    accept: 'image/jpeg,image/png,image/webp,application/pdf',
    onchange: () => { const f = fileInput.files && fileInput.files[0]; fileInput.value = ''; if (f) h.onFile(f); },
  });
  const attachBtn = el('button', {
    id: 'kd-attach', class: 'kd-attach', type: 'button', 'aria-label': T.attach, title: T.attach,
    onclick: () => fileInput.click(),
  }, [svgEl('svg', { viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' }, [
    svgEl('path', { d: 'M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z' }),
  ])]);
  const composer = el('form', {
    class: 'kd-composer', 'aria-label': T.inputLabel,
    onsubmit: (e) => {
      e.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      input.value = '';
      h.onSubmit(text);
    },
  }, [attachBtn, fileInput, input, sendBtn]);

  // "Chat beenden": asks once, then the conversation is closed server-side and forgotten here (shared computers).
  const endBtn = el('button', {
    id: 'kd-end', type: 'button', class: 'kd-end', text: T.end, hidden: true,
    'aria-controls': 'kd-end-confirm', 'aria-expanded': 'false', onclick: () => toggleEndConfirm(),
  });
  const endYes = el('button', { id: 'kd-end-yes', type: 'button', class: 'kd-btn-primary', text: T.endYes, onclick: () => h.onEnd() });
  const endConfirm = el('div', { id: 'kd-end-confirm', class: 'kd-end-confirm', role: 'alertdialog', 'aria-label': T.end, hidden: true }, [
    el('p', { text: T.endQuestion }),
    el('div', { class: 'kd-callback-actions' }, [
      el('button', { type: 'button', class: 'kd-btn-secondary', text: T.cancel, onclick: () => toggleEndConfirm(false) }),
      endYes,
    ]),
  ]);

  // A modal dialog while open: focus stays inside (Tab wraps) and returns to the launcher on close.
  const panel = el('div', { id: 'kd-panel', class: 'kd-panel', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'kd-title', hidden: true }, [
    el('div', { class: 'kd-header' }, [
      el('h2', { id: 'kd-title', class: 'kd-title', text: T.title }),
      endBtn,
      el('button', { type: 'button', class: 'kd-close', 'aria-label': T.close, text: '×', onclick: () => h.onClose() }),
    ]),
    endConfirm, status, cbForm, messages, typing, composer, announcer,
  ]);
  const focusables = () => [...panel.querySelectorAll('button, input, textarea, select, a[href], [tabindex="0"]')]
    .filter((n) => !n.disabled && n.tabIndex >= 0 && n.getClientRects().length);
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { e.preventDefault(); h.onClose(); return; }
    if (e.key !== 'Tab') return;
    const list = focusables();
    if (!list.length) return;
    const first = list[0], last = list[list.length - 1];
    if (e.shiftKey && (document.activeElement === first || !panel.contains(document.activeElement))) {
      e.preventDefault(); last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault(); first.focus();
    }
  });

  root.appendChild(panel);
  root.appendChild(launcher);
  document.body.appendChild(root);

  const nodes = new Map(); // transcript entry -> element

  function scrollDown() { messages.scrollTop = messages.scrollHeight; }

  function renderMessage(m) {
    const sender = senderOf(m);
    const node = el('div', { class: `kd-msg kd-msg-${sender}`, 'data-sender': sender, 'data-id': m.id });
    if (m.custom && m.custom.welcome) node.dataset.welcome = '1'; // the greeting the chat opens with
    if (sender === 'agent') {
      node.appendChild(el('div', { class: 'kd-msg-label', text: m.agent_name ? `${T.agent} · ${m.agent_name}` : T.agent }));
    }
    const attachment = m.custom && m.custom.attachment;
    if (attachment && attachment.id) node.appendChild(renderAttachment(attachment, sender));
    else if (m.text && sender === 'customer') node.appendChild(el('div', { class: 'kd-bubble', text: m.text }));
    else if (m.text) node.appendChild(renderText(el('div', { class: 'kd-bubble' }), m.text));
    const t = m.created_at ? new Date(m.created_at) : null;
    if (t && !isNaN(t)) node.title = t.toLocaleString('de-DE');
    if (Array.isArray(m.buttons) && m.buttons.length) {
      const group = el('div', { class: 'kd-quick-replies', role: 'group', 'aria-label': T.quickReplies });
      m.buttons.forEach((b) => {
        const btn = el('button', { type: 'button', class: 'kd-quick-reply', text: b.title || b.payload });
        btn.addEventListener('click', () => {
          group.dataset.used = '1';
          group.querySelectorAll('button').forEach((x) => { x.disabled = true; });
          btn.classList.add('kd-chosen');
          h.onQuickReply({ payload: b.payload, title: b.title }, b.title || b.payload);
        });
        group.appendChild(btn);
      });
      node.appendChild(group);
    }
    return node;
  }

  // A thumbnail (images) or a download link (PDF), loaded with the conversation's token as blob: URLs.
  function renderAttachment(a, sender) {
    const label = `${a.kind === 'image' ? T.image : T.document}: ${a.name}`;
    const box = el('div', { class: 'kd-bubble kd-attachment' });
    if (a.kind === 'image') {
      const img = el('img', { class: 'kd-thumb', alt: label, width: String(Math.min(a.width || 200, 200)) });
      const link = el('a', { class: 'kd-file-link', href: '#', 'aria-label': `${label} – ${T.openFull}` }, [img]);
      h.loadFile(a, 'thumb').then((url) => { img.src = url; }, () => { img.alt = `${label} (${T.fileFailed})`; });
      link.addEventListener('click', (e) => {
        e.preventDefault();
        h.loadFile(a, 'full').then((url) => window.open(url, '_blank', 'noopener'), () => h.onFileError());
      });
      box.appendChild(link);
    } else {
      const link = el('a', { class: 'kd-file-link', href: '#', text: `${label} (${sizeText(a.size)}) – ${T.download}` });
      link.addEventListener('click', (e) => {
        e.preventDefault();
        h.loadFile(a, 'full').then((url) => {
          const save = el('a', { href: url, download: a.name });
          save.click();
        }, () => h.onFileError());
      });
      box.appendChild(link);
    }
    if (sender === 'customer') box.classList.add('kd-attachment-own');
    return box;
  }

  // Screen readers hear each new bot, agent and system message once (not the history, not moves).
  let announcing = false;
  function announce(entry) {
    const m = entry.message;
    const sender = senderOf(m);
    if (!announcing || sender === 'customer' || !(m.text || (m.buttons && m.buttons.length))) return;
    const who = sender === 'agent' ? (m.agent_name ? `${T.agent} ${m.agent_name}` : T.agent) : sender === 'bot' ? T.bot : T.system;
    const choices = (m.buttons || []).map((b) => b.title || b.payload).join(', ');
    const line = el('p', { text: `${who}: ${m.text || ''}${choices ? ` ${T.quickReplies}: ${choices}.` : ''}` });
    announcer.appendChild(line);
    setTimeout(() => line.remove(), 15000);
  }
  function setAnnouncing(on) { announcing = on; }

  // Only the newest message keeps active quick replies, unless one of them was tapped. Both ways:
  // an answer can arrive (socket) before the customer's own message is confirmed and moved in
  // front of it, and its buttons must come back then.
  function refreshQuickReplies() {
    const msgs = messages.querySelectorAll('.kd-msg:not(.kd-local)');
    const last = msgs[msgs.length - 1];
    messages.querySelectorAll('.kd-quick-replies').forEach((group) => {
      const active = !!last && last.contains(group) && group.dataset.used !== '1';
      group.querySelectorAll('.kd-quick-reply').forEach((b) => { b.disabled = !active; });
    });
  }

  // Moves the entry's element before the element of the entry that follows it.
  function mount(entry, transcript) {
    const node = nodes.get(entry);
    if (entry.seq !== undefined) node.dataset.seq = entry.seq;
    const next = transcript.next(entry);
    const ref = (next && nodes.get(next)) || null;
    if (node.nextSibling !== ref || node.parentNode !== messages) messages.insertBefore(node, ref);
  }

  function syncClasses(node, entry) {
    node.classList.toggle('kd-pending', entry.kind === 'pending');
    node.classList.toggle('kd-failed', entry.kind === 'failed');
  }

  // Listener for the state.js Transcript: mirrors its changes into #kd-messages.
  function onTranscript(type, entry, transcript) {
    if (type === 'clear') { nodes.clear(); messages.textContent = ''; return; }
    if (type === 'add') {
      const node = renderMessage(entry.message);
      if (entry.kind === 'local') node.classList.add('kd-local');
      syncClasses(node, entry);
      nodes.set(entry, node);
      mount(entry, transcript);
      refreshQuickReplies();
      scrollDown();
      announce(entry);
      return;
    }
    const node = nodes.get(entry);
    if (!node) return; // from before a reset
    if (type === 'adopt') {
      node.dataset.id = entry.id;
      syncClasses(node, entry);
      if (transcript.has(entry)) mount(entry, transcript);
      refreshQuickReplies();
    } else if (type === 'update') {
      syncClasses(node, entry);
    } else if (type === 'remove') {
      nodes.delete(entry);
      node.remove();
    }
  }

  // "Gelesen" under the customer's last message the agent has read (seq <= `seq`).
  function setRead(seq) {
    messages.querySelectorAll('.kd-read').forEach((n) => n.remove());
    const read = [...messages.querySelectorAll('.kd-msg-customer[data-seq]')].filter((n) => Number(n.dataset.seq) <= seq);
    if (read.length) read[read.length - 1].appendChild(el('div', { class: 'kd-read', text: T.read }));
  }

  function setTyping(kind) {
    typing.hidden = !kind;
    typingText.textContent = kind === 'bot' ? T.botTyping : T.agentTyping;
    if (kind) scrollDown();
  }

  let register = 'sie', lastStatus = null;

  // The conversation's register ('sie'/'du'): every text, the shown ones included, follows it.
  function setRegister(r) {
    const next = r === 'du' ? 'du' : 'sie';
    if (next === register) return;
    register = next;
    Object.assign(T, texts(register));
    input.placeholder = T.placeholder;
    noteLabel.textContent = T.note;
    root.dataset.register = register;
    if (lastStatus) applyStatus(lastStatus);
  }

  // s: statusFor() from state.js.
  // The status line grows or shrinks the message area (a transfer names the team, the callback toggle
  // appears): a reader at the bottom stays there, so the newest notice is never cut off (issue 27.4).
  function applyStatus(s) {
    const atBottom = messages.scrollHeight - messages.scrollTop - messages.clientHeight < 40;
    applyStatusLine(s);
    if (atBottom) scrollDown();
  }

  function applyStatusLine(s) {
    if (!s.visible) {
      status.hidden = true;
      toggleCallback(false);
      return;
    }
    lastStatus = s;
    if (s.state === 'queued') {
      statusText.textContent = queueText(s.queue, register);
    } else {
      statusText.textContent = T.agentActive;
    }
    cbToggle.hidden = !s.callbackToggle;
    status.hidden = false;
    status.dataset.state = s.state;
    if (s.closeCallback) toggleCallback(false);
  }

  function toggleCallback(showForm) {
    showForm = showForm === undefined ? cbForm.hidden : showForm;
    cbForm.hidden = !showForm;
    cbToggle.setAttribute('aria-expanded', String(showForm));
    if (showForm) { cbError.hidden = true; cbContact.focus(); }
  }

  // The end button shows only while there is a conversation to end.
  function setCanEnd(on) {
    endBtn.hidden = !on;
    if (!on) toggleEndConfirm(false);
  }

  function toggleEndConfirm(showIt) {
    showIt = showIt === undefined ? endConfirm.hidden : showIt;
    endConfirm.hidden = !showIt;
    endBtn.setAttribute('aria-expanded', String(showIt));
    if (showIt) endYes.focus();
  }

  function callbackError(msg) {
    cbError.textContent = msg;
    cbError.hidden = false;
  }

  function setOpen(isOpen) {
    const hadFocus = panel.contains(document.activeElement);
    if (isOpen) root.style.visibility = ''; // hidden elements cannot take focus
    panel.hidden = !isOpen;
    root.classList.toggle('kd-is-open', isOpen);
    launcher.setAttribute('aria-expanded', String(isOpen));
    launcher.setAttribute('aria-label', isOpen ? T.close : T.open);
    if (isOpen) { scrollDown(); input.focus(); } else if (hadFocus) launcher.focus();
  }

  return {
    ui: { root, launcher, panel, status, statusText, cbToggle, cbForm, cbContact, cbNote, cbError, messages, typing, typingText, input, announcer },
    onTranscript, setTyping, setRead, applyStatus, toggleCallback, callbackError, setOpen, scrollDown, setCanEnd, toggleEndConfirm,
    setAnnouncing, setRegister,
  };
}
