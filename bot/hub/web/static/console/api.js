/* The console's calls to the hub's agent API (HTTP and websocket) and the
 * public label list GET /api/v1/states. Errors become ApiError with a German
 * message the console can show as is.
 */

export class ApiError extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}

export function defaultError(status, path) {
  if (status === 401) return path === '/agent/login' ? 'E-Mail oder Passwort ist falsch.' : 'Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.';
  if (status === 403) return 'Dafür fehlt Ihnen die Berechtigung.';
  if (status === 404) return 'Der Eintrag wurde nicht gefunden.';
  if (status === 409) return 'Die Aktion ist nicht mehr möglich – jemand anderes war schneller.';
  if (status >= 500) return 'Serverfehler. Bitte versuchen Sie es später erneut.';
  return 'Die Anfrage ist fehlgeschlagen.';
}

// hooks.token(): the session token or null; hooks.onUnauthorized(): the session ended.
export function createApi(hooks) {
  const self = {
    lastApiAt: 0, // time of the last answered call, counts as agent activity

    async call(method, path, body) {
      const headers = { Accept: 'application/json' };
      const token = hooks.token();
      if (token) headers.Authorization = 'Bearer ' + token;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      let res;
      try {
        res = await fetch('/api/v1' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      } catch (e) {
        throw new ApiError(0, 'network', 'Keine Verbindung zum Server. Bitte prüfen Sie Ihre Netzwerkverbindung.');
      }
      self.lastApiAt = Date.now();
      let data = null;
      try { data = await res.json(); } catch (e) { /* empty body */ }
      if (!res.ok) {
        const err = (data && data.error) || {};
        if (res.status === 401 && path !== '/agent/login') hooks.onUnauthorized();
        throw new ApiError(res.status, err.code || 'http_' + res.status, err.message || defaultError(res.status, path));
      }
      return data || {};
    },

    // A file: upload (the body is the file's bytes) and download as a Blob, both with the session token.
    async upload(path, file) {
      const headers = { Accept: 'application/json', 'Content-Type': 'application/octet-stream' };
      if (hooks.token()) headers.Authorization = 'Bearer ' + hooks.token();
      let res;
      try {
        res = await fetch('/api/v1' + path + '?name=' + encodeURIComponent(file.name || ''), { method: 'POST', headers, body: file });
      } catch (e) {
        throw new ApiError(0, 'network', 'Keine Verbindung zum Server. Bitte prüfen Sie Ihre Netzwerkverbindung.');
      }
      let data = null;
      try { data = await res.json(); } catch (e) { /* empty body */ }
      if (!res.ok) {
        const err = (data && data.error) || {};
        throw new ApiError(res.status, err.code || 'http_' + res.status, err.message || defaultError(res.status, path));
      }
      return data || {};
    },

    async blob(path) {
      const res = await fetch('/api/v1' + path, { headers: { Authorization: 'Bearer ' + hooks.token() } });
      if (!res.ok) throw new ApiError(res.status, 'http_' + res.status, defaultError(res.status, path));
      return res.blob();
    },

    // The labels of conversation states, channels, senders …: {group: {key: label}}.
    async states(timeoutMs = 5000) {
      const ctl = new AbortController();
      const timer = setTimeout(() => ctl.abort(), timeoutMs);
      try {
        const res = await fetch('/api/v1/states', { headers: { Accept: 'application/json' }, signal: ctl.signal });
        if (!res.ok) throw new ApiError(res.status, 'http_' + res.status, defaultError(res.status, '/states'));
        const data = await res.json();
        return data && typeof data === 'object' ? data : {};
      } finally {
        clearTimeout(timer);
      }
    },

    // The console's websocket: a single-use ticket (valid ~30 s) goes into the URL, never the
    // session token (URLs end up in proxy logs). Rejects like call() when no ticket is issued.
    async socket() {
      const d = await self.call('POST', '/agent/ws-ticket');
      const u = new URL('/api/v1/agent/ws', location.href);
      u.protocol = u.protocol === 'https:' ? 'wss:' : 'ws:';
      u.searchParams.set('ticket', d.ticket);
      return new WebSocket(u.toString());
    },
  };
  return self;
}
