'use strict';
/* The admin page: users (add, disable, enable, reset a password, act as) and recent audit events. */
(() => {
  const { api, el, time, say, button, start } = tokenauth;
  let me = null;

  async function loadUsers() {
    const { data } = await api('api/users');
    const body = document.querySelector('#users tbody');
    body.replaceChildren();
    if (!data.success) {
      say(data.msg, true);
      return;
    }
    for (const u of data.users) {
      const row = el('tr');
      row.dataset.username = u.username;
      row.append(el('td', u.username));
      const role = el('td');
      role.append(el('span', u.admin ? 'admin' : 'user', u.admin ? 'tag admin' : 'tag'));
      row.append(role);
      const status = el('td');
      status.append(el('span', u.disabled ? 'disabled' : 'active', u.disabled ? 'tag disabled' : 'tag'));
      row.append(status);
      const created = el('td');
      created.append(time(u.created_at, ''));
      row.append(created);
      const actions = el('td', null, 'actions');
      if (u.username !== me) {
        if (!u.disabled) {
          actions.append(button('Act as', 'primary act-as', () => actAs(u.username)));
          actions.append(button('Disable', 'danger disable', () => disable(u.username)));
        } else {
          actions.append(button('Enable', 'enable', () => change('api/users/enable', u.username,
              u.username + ' can log in again.')));
        }
      }
      actions.append(button('Reset password', 'reset', () => showReset(u.username)));
      row.append(actions);
      body.append(row);
    }
  }

  async function loadAudit() {
    const { data } = await api('api/audit?limit=25');
    const body = document.querySelector('#audit tbody');
    body.replaceChildren();
    if (!data.success) {
      return;
    }
    for (const e of data.events) {
      const row = el('tr');
      const when = el('td');
      when.append(time(e.at, ''));
      row.append(when);
      row.append(el('td', e.event));
      row.append(el('td', e.user || ''));
      row.append(el('td', e.acting_user && e.acting_user !== e.user ? e.acting_user : ''));
      row.append(el('td', e.token_prefix ? e.token_prefix + '…' : '', 'prefix'));
      row.append(el('td', e.client_address || ''));
      // A counted entry (refused tokens, one per address, reason and minute) says how many, and until when.
      row.append(el('td', (e.detail || '') + (e.count > 1 ? ` (${e.count} times, last at ${new Date(e.last_at).toLocaleTimeString()})` : '')));
      body.append(row);
    }
  }

  let inventoryCursor = null;

  function inventoryQuery() {
    const query = new URLSearchParams({ limit: '50' });
    const owner = document.getElementById('inv-owner').value.trim();
    const expiring = document.getElementById('inv-expiring').value;
    const unused = document.getElementById('inv-unused').value;
    const scope = document.getElementById('inv-scope').value.trim();
    if (owner) query.set('owner', owner);
    if (expiring !== '') query.set('expiring_within_days', expiring);
    if (unused !== '') query.set('unused_for_days', unused);
    if (scope) query.set('scope', scope);
    if (document.getElementById('inv-never-used').checked) query.set('never_used', 'true');
    return query;
  }

  // The first page (more = false) or the next one, with the filters as the form has them.
  async function loadInventory(more) {
    const query = inventoryQuery();
    if (more && inventoryCursor) {
      query.set('cursor', inventoryCursor);
    }
    const { data } = await api('api/admin/tokens?' + query.toString());
    const body = document.querySelector('#inventory tbody');
    if (!more) {
      body.replaceChildren();
    }
    if (!data.success) {
      say(data.msg, true);
      return;
    }
    for (const t of data.tokens) {
      const row = el('tr');
      row.dataset.tokenId = t.id;
      row.append(el('td', t.owner));
      row.append(el('td', t.display_prefix + '…', 'prefix'));
      row.append(el('td', t.label || ''));
      const created = el('td');
      created.append(time(t.created_at, ''));
      row.append(created);
      const expires = el('td');
      expires.append(time(t.expires_at, 'never'));
      row.append(expires);
      const used = el('td');
      used.append(time(t.last_used_at, 'never'));
      row.append(used);
      row.append(el('td', (t.scopes || []).join(', '), 'scopes'));
      const actions = el('td', null, 'actions');
      actions.append(button('Revoke', 'danger revoke', () => revokeAny(t)));
      row.append(actions);
      body.append(row);
    }
    inventoryCursor = data.next_cursor;
    document.getElementById('inv-more').hidden = !inventoryCursor;
    document.getElementById('inv-empty').hidden = body.children.length > 0;
  }

  async function revokeAny(t) {
    const name = t.display_prefix + '…' + (t.label ? ' (' + t.label + ')' : '') + ' of ' + t.owner;
    const reason = window.prompt('Revoke token ' + name + '? Say why; ' + t.owner + ' will read it.');
    if (reason === null) {
      return;
    }
    const { data } = await api('api/admin/tokens/revoke', 'POST', { id: t.id, reason });
    say(data.success ? 'Token ' + name + ' revoked.' : data.msg, !data.success);
    await loadInventory(false);
    await loadAudit();
  }

  async function refresh() {
    await loadUsers();
    await loadInventory(false);
    await loadAudit();
  }

  async function actAs(username) {
    const { data } = await api('api/act_as', 'POST', { username });
    if (data.success) {
      window.location.href = './';
    } else {
      say(data.msg, true);
    }
  }

  async function disable(username) {
    if (!window.confirm('Disable ' + username + '? They can no longer log in, and all their tokens are revoked now.')) {
      return;
    }
    const { data } = await api('api/users/disable', 'POST', { username });
    if (data.success) {
      say(username + ' disabled; ' + data.revoked_tokens + ' token(s) revoked.');
    } else {
      say(data.msg, true);
    }
    await refresh();
  }

  async function change(path, username, done) {
    const { data } = await api(path, 'POST', { username });
    say(data.success ? done : data.msg, !data.success);
    await refresh();
  }

  function showReset(username) {
    document.getElementById('reset-username').textContent = username;
    document.getElementById('reset-section').hidden = false;
    document.getElementById('reset-password').value = '';
    document.getElementById('reset-password').focus();
  }

  async function reset(event) {
    event.preventDefault();
    const username = document.getElementById('reset-username').textContent;
    const password = document.getElementById('reset-password').value;
    const { data } = await api('api/users/password', 'POST', { username, password });
    if (data.success) {
      document.getElementById('reset-section').hidden = true;
      say('Password of ' + username + ' changed.');
    } else {
      say(data.msg, true);
    }
    document.getElementById('reset-password').value = '';
    await loadAudit();
  }

  async function addUser(event) {
    event.preventDefault();
    const username = document.getElementById('new-username').value.trim();
    const password = document.getElementById('new-password').value;
    const admin = document.getElementById('new-admin').checked;
    const { data } = await api('api/users', 'POST', { username, password, admin });
    if (data.success) {
      say('User ' + username + ' added.');
      document.getElementById('add-user-form').reset();
    } else {
      say(data.msg, true);
    }
    await refresh();
  }

  document.addEventListener('DOMContentLoaded', async () => {
    const session = await start();
    me = session.acting_user || session.user;
    document.getElementById('add-user-form').addEventListener('submit', addUser);
    document.getElementById('inventory-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      await loadInventory(false);
    });
    document.getElementById('inv-more').addEventListener('click', () => loadInventory(true));
    document.getElementById('reset-form').addEventListener('submit', reset);
    document.getElementById('reset-cancel').addEventListener('click', () => {
      document.getElementById('reset-password').value = '';
      document.getElementById('reset-section').hidden = true;
    });
    await refresh();
  });
})();
