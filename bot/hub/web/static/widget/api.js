/* The widget's calls to the hub's customer API (HTTP and websocket).
 * Kept apart from state and view so the wire format lives in one place.
 */
import { MAX_TRIES, retryDelay } from './state.js';

const enc = encodeURIComponent;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// hub: base URL without trailing slash ('' = same origin as the page).
export function createApi(hub) {
  const base = hub + '/api/v1/conversations';
  const conv = (c) => `${base}/${enc(c.conversation_id)}`;

  // Resolves to {ok, status, data}; rejects only on network errors.
  async function request(method, url, body, token) {
    const headers = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = 'Bearer ' + token;
    const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    let data = null;
    try { data = await res.json(); } catch (e) { /* empty body */ }
    return { ok: res.ok, status: res.status, data };
  }

  // Retries on network errors and 5xx (see retryDelay); answers below 500 are final.
  async function requestRetry(method, url, body, token) {
    let lastErr;
    for (let i = 0; i < MAX_TRIES; i++) {
      try {
        const res = await request(method, url, body, token);
        if (res.status < 500) return res;
        lastErr = new Error('HTTP ' + res.status);
      } catch (e) { lastErr = e; }
      if (i < MAX_TRIES - 1) await sleep(retryDelay(i));
    }
    throw lastErr;
  }

  return {
    // welcome: the chat starts with Wanda's greeting (stored by the hub, no bot turn).
    create: (metadata, welcome) => requestRetry('POST', base, { channel: 'webchat', metadata, welcome: !!welcome }),
    messages: (c) => request('GET', `${conv(c)}/messages`, undefined, c.token),
    conversation: (c) => request('GET', conv(c), undefined, c.token),
    send: (c, body) => requestRetry('POST', `${conv(c)}/messages`, body, c.token),
    callback: (c, body) => request('POST', `${conv(c)}/callback`, body, c.token),
    end: (c) => request('POST', `${conv(c)}/end`, undefined, c.token),
    // A file: the body is its bytes; the hub checks the type by content. Resolves to {ok, status, data}.
    async upload(c, file) {
      const url = `${conv(c)}/attachments?name=${enc(file.name || '')}`;
      const res = await fetch(url, { method: 'POST', body: file, headers: {
        Accept: 'application/json', Authorization: 'Bearer ' + c.token, 'Content-Type': 'application/octet-stream' } });
      let data = null;
      try { data = await res.json(); } catch (e) { /* empty body */ }
      return { ok: res.ok, status: res.status, data };
    },
    // A file of the conversation as a Blob: fetched with the token in the header, never in a URL.
    async file(c, id, variant) {
      const res = await fetch(`${conv(c)}/attachments/${enc(id)}?variant=${variant === 'thumb' ? 'thumb' : 'full'}`,
        { headers: { Authorization: 'Bearer ' + c.token } });
      if (!res.ok) throw new Error('HTTP ' + res.status);
      return res.blob();
    },
    // The websocket: a single-use ticket (valid ~30 s) goes into the URL, never the conversation's
    // token (URLs end up in proxy logs). Resolves to the socket, or to {status} when the hub refuses
    // a ticket (401/404: the conversation is gone); rejects on network errors.
    async socket(c) {
      const res = await request('POST', `${conv(c)}/ws-ticket`, undefined, c.token);
      if (!res.ok || !res.data || !res.data.ticket) return { status: res.status };
      const u = new URL(`${conv(c)}/ws`, location.href);
      u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
      u.searchParams.set('ticket', res.data.ticket);
      return new WebSocket(u.toString());
    },
  };
}
