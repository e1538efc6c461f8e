'use strict';
/* The account page: the user's tokens, creating one (shown once, with the scopes checked) and revoking. */
(() => {
  const { api, el, time, say, button, start } = tokenauth;

  function createdBy(how) {
    if (how === 'session') {
      return 'browser login';
    }
    return how.startsWith('token:') ? 'token #' + how.substring(6) : how;
  }

  async function loadTokens() {
    const { data } = await api('api/tokens');
    const body = document.querySelector('#tokens tbody');
    body.replaceChildren();
    if (!data.success) {
      say(data.msg, true);
      return;
    }
    for (const t of data.tokens) {
      const row = el('tr');
      row.dataset.tokenId = t.id;
      row.append(el('td', t.display_prefix + '…', 'prefix'));
      row.append(el('td', t.label || ''));
      const created = el('td');
      created.append(time(t.created_at, ''));
      row.append(created);
      row.append(el('td', createdBy(t.created_by)));
      const expires = el('td');
      expires.append(time(t.expires_at, 'never'));
      row.append(expires);
      const used = el('td');
      used.append(time(t.last_used_at, 'not yet'));
      row.append(used);
      row.append(el('td', (t.used_from || []).map(u => u.address).join(', '), 'used-from'));
      row.append(el('td', (t.scopes || []).join(', '), 'scopes'));
      const actions = el('td', null, 'actions');
      actions.append(button('Revoke', 'danger revoke', () => revoke(t)));
      row.append(actions);
      body.append(row);
    }
    document.getElementById('no-tokens').hidden = data.tokens.length > 0;
    showNotices(data.tokens);
    showRevoked(data.revoked || []);
  }

  function tokenName(t) {
    return t.display_prefix + '…' + (t.label ? ' (' + t.label + ')' : '');
  }

  // What the server says each token's owner should know (expiring within 7 days, unused for 90).
  function showNotices(tokens) {
    const list = document.getElementById('notices');
    list.replaceChildren();
    for (const t of tokens) {
      for (const notice of t.notices || []) {
        const item = el('li', null, 'notice ' + notice);
        item.dataset.tokenId = t.id;
        if (notice === 'expiring_soon') {
          item.textContent = 'Token ' + tokenName(t) + ' expires on ' + new Date(t.expires_at).toLocaleDateString()
              + (t.expires_in_days === 0 ? ' (within a day)' : ' (in ' + t.expires_in_days + ' days)')
              + ': rotate it before then.';
        } else if (notice === 'unused') {
          item.textContent = 'Token ' + tokenName(t) + ' has not been used for 90 days or more: revoke it if '
              + 'nothing needs it.';
        } else {
          continue;
        }
        list.append(item);
      }
    }
    list.hidden = list.children.length === 0;
  }

  function showRevoked(revoked) {
    const body = document.querySelector('#revoked tbody');
    body.replaceChildren();
    for (const t of revoked) {
      const row = el('tr');
      row.dataset.tokenId = t.id;
      row.append(el('td', t.display_prefix + '…', 'prefix'));
      row.append(el('td', t.label || ''));
      const when = el('td');
      when.append(time(t.revoked_at, ''));
      row.append(when);
      row.append(el('td', t.revoked_by ? 'admin ' + t.revoked_by : (t.reason ? 'tokenauth' : 'you'), 'revoked-by'));
      row.append(el('td', t.reason || '', 'reason'));
      body.append(row);
    }
    document.getElementById('revoked-section').hidden = revoked.length === 0;
  }

  async function revoke(token) {
    const name = token.display_prefix + '…' + (token.label ? ' (' + token.label + ')' : '');
    if (!window.confirm('Revoke token ' + name + '? Clients using it will be refused from now on.')) {
      return;
    }
    const { data } = await api('api/revoke_token', 'POST', { id: token.id });
    if (data.success) {
      say('Token ' + name + ' revoked.');
    } else {
      say(data.msg, true);
    }
    await loadTokens();
  }

  async function create(event) {
    event.preventDefault();
    const request = {};
    const label = document.getElementById('label').value.trim();
    if (label) {
      request.label = label;
    }
    const expiresIn = document.getElementById('expires-in').value;
    if (expiresIn) {
      request.expires_in = Number(expiresIn);
    }
    const boxes = [...document.querySelectorAll('#scopes input[name=scopes]')];
    const checked = boxes.filter(b => b.checked).map(b => b.value);
    if (checked.length === 0) {
      say('Choose at least one scope.', true);
      return;
    }
    // With every box checked the token gets every scope the server knows (an application may add its own).
    if (checked.length < boxes.length) {
      request.scopes = checked;
    }
    const submit = document.getElementById('create-token');
    submit.disabled = true;
    try {
      const { data } = await api('api/create_token', 'POST', request);
      if (!data.success) {
        say(data.msg, true);
        return;
      }
      document.getElementById('message').hidden = true;
      document.getElementById('new-token-value').value = data.token;
      document.getElementById('copied').textContent = '';
      document.getElementById('new-token').hidden = false;
      document.getElementById('label').value = '';
      boxes.forEach(b => { b.checked = true; });
      document.getElementById('new-token-value').select();
      await loadTokens();
    } finally {
      submit.disabled = false;
    }
  }

  async function copy() {
    const field = document.getElementById('new-token-value');
    field.select();
    let copied = false;
    try {
      await navigator.clipboard.writeText(field.value);
      copied = true;
    } catch (e) {
      // Without the asynchronous clipboard (plain http on another host), the selection copy still works.
      copied = document.execCommand('copy');
    }
    document.getElementById('copied').textContent = copied ? 'Copied' : 'Press Ctrl+C to copy';
  }

  function hideToken() {
    // Forget the plaintext: it never stays on the page longer than needed.
    document.getElementById('new-token-value').value = '';
    document.getElementById('new-token').hidden = true;
  }

  document.addEventListener('DOMContentLoaded', async () => {
    const session = await start();
    document.getElementById('token-owner').textContent = session.user;
    document.getElementById('create-form').addEventListener('submit', create);
    document.getElementById('copy-token').addEventListener('click', copy);
    document.getElementById('hide-token').addEventListener('click', hideToken);
    await loadTokens();
  });
})();
