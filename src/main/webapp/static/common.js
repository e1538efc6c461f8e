'use strict';
/*
 * What both pages share: calls to the JSON API (with the session's CSRF token on every change), the header
 * with the logged-in user, the act-as banner and log out. Text from the server is only ever set as text
 * (textContent), never parsed as HTML.
 */
const tokenauth = (() => {
  let csrfToken = null;

  async function api(path, method = 'GET', body = undefined) {
    const headers = { 'Accept': 'application/json' };
    if (method !== 'GET') {
      headers['X-CSRF-Token'] = csrfToken;
    }
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await fetch(path, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body)
    });
    let data;
    try {
      data = await response.json();
    } catch (e) {
      data = { success: false, msg: 'Unexpected answer from the server (' + response.status + ').' };
    }
    if (response.status === 401) {
      // The session ended (logged out elsewhere, expired, or the user was disabled).
      window.location.href = 'login';
      throw new Error('Not logged in');
    }
    return { status: response.status, data };
  }

  function el(tag, text, className) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) {
      e.textContent = text;
    }
    if (className) {
      e.className = className;
    }
    return e;
  }

  function time(iso, otherwise) {
    if (!iso) {
      return el('span', otherwise, 'empty');
    }
    const t = el('time', new Date(iso).toLocaleString());
    t.dateTime = iso;
    t.title = iso;
    return t;
  }

  function say(text, isError) {
    const message = document.getElementById('message');
    message.textContent = text;
    message.classList.toggle('error', Boolean(isError));
    message.hidden = false;
  }

  function button(text, className, onClick) {
    const b = el('button', text, className);
    b.type = 'button';
    b.addEventListener('click', onClick);
    return b;
  }

  /** Loads the session, fills the header and banner; resolves to the session. */
  async function start() {
    const { data } = await api('api/session');
    csrfToken = data.csrf_token;
    document.getElementById('login-user').textContent = data.acting_user || data.user;
    document.getElementById('admin-link').hidden = !data.admin;
    const banner = document.getElementById('acting-banner');
    if (data.acting_user) {
      document.getElementById('acting-for').textContent = data.user;
      document.getElementById('acting-admin').textContent = data.acting_user;
      banner.hidden = false;
    }
    document.getElementById('stop-acting').addEventListener('click', async () => {
      const { data: stopped } = await api('api/act_as/stop', 'POST');
      if (stopped.success) {
        window.location.href = 'admin';
      } else {
        say(stopped.msg, true);
      }
    });
    document.getElementById('logout').addEventListener('click', async () => {
      await fetch('logout', { method: 'POST', headers: { 'X-CSRF-Token': csrfToken }, credentials: 'same-origin',
        redirect: 'manual' });
      window.location.href = 'login';
    });
    return data;
  }

  return { api, el, time, say, button, start };
})();
