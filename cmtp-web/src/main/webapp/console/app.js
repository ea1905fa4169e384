// The CMTP web console: a single page over the admin API (/api), one view per section,
// chosen by the location's hash (#/accounts, #/accounts/bob, …), so that links, the back
// button and bookmarks work.

import { api, ApiError, changeAdminPassword, seg, signIn, signOut, signedIn, whenSignedOut } from './api.js';
import { busy, bytes, confirmAction, empty, errorBox, fill, h, heading, notice, table, time } from './ui.js';
import { SERIES, seriesValue, trafficChart } from './chart.js';

const PAGE = 50;
const view = () => document.getElementById('view');

// ---- sign-in ----

function showSignIn(error) {
  document.getElementById('app').hidden = true;
  document.getElementById('signin').hidden = false;
  const box = document.getElementById('signin-error');
  box.hidden = !error;
  box.textContent = error ? error.message : '';
  document.getElementById('signin-password').value = '';
  document.getElementById(document.getElementById('signin-user').value ? 'signin-password' : 'signin-user').focus();
}

async function showApp() {
  document.getElementById('signin').hidden = true;
  document.getElementById('app').hidden = false;
  if (!location.hash || location.hash === '#' || location.hash === '#/') {
    history.replaceState(null, '', '#/dashboard');
  }
  api.get('server').then((server) => {
    document.getElementById('server-domains').textContent = server.data.domains.join(', ');
  }).catch(() => {});
  await route();
}

document.getElementById('signin-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  const button = form.querySelector('button[type=submit]');
  const box = document.getElementById('signin-error');
  box.hidden = true;
  if (!form.user.value || !form.password.value) {
    box.textContent = 'Enter the user name and the password.';
    box.hidden = false;
    return;
  }
  button.disabled = true;
  try {
    await signIn(form.user.value, form.password.value);
    form.password.value = '';
    await showApp();
  } catch (error) {
    showSignIn(error.status === 401 ? new ApiError(401, { detail: 'Wrong user name or password.' }) : error);
  } finally {
    button.disabled = false;
  }
});

document.getElementById('signout').addEventListener('click', () => {
  signOut();
  showSignIn(null);
});

whenSignedOut((error) => showSignIn(new ApiError(401, { detail: `Signed out: ${error.message}. Sign in again.` })));

// ---- routing ----

const ROUTES = [
  [/^#\/dashboard$/, 'dashboard', dashboard],
  [/^#\/accounts$/, 'accounts', accounts],
  [/^#\/accounts\/([^/]+)$/, 'accounts', mailbox],
  [/^#\/queue$/, 'queue', queue],
  [/^#\/known-servers$/, 'known-servers', knownServers],
  [/^#\/dns$/, 'dns', dns],
  [/^#\/identity$/, 'identity', identity],
];

let shownHash = null;

async function route() {
  if (!signedIn()) {
    return;
  }
  if (location.hash !== shownHash) {
    // a confirmation belongs to the view it was given in
    shownHash = location.hash;
    document.getElementById('notice').hidden = true;
  }
  const found = ROUTES.find(([pattern]) => pattern.test(location.hash));
  const [pattern, section, render] = found || ROUTES[0];
  for (const link of document.querySelectorAll('nav.side a')) {
    if (link.dataset.section === section) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  const args = (location.hash.match(pattern) || []).slice(1).map(decodeURIComponent);
  // Each route renders into a page of its own: a slow view (the dashboard still loading
  // when the user, or a bookmark, goes on to an account) fills a page no longer shown
  // instead of replacing the one that is.
  const page = h('div', { class: 'page' }, h('p', { class: 'muted' }, 'Loading…'));
  fill(view(), page);
  try {
    await render(page, ...args);
  } catch (error) {
    fill(page, heading('Something went wrong'), errorBox(error));
  }
  if (page.isConnected) {
    page.querySelector('h1')?.focus();
  }
}

window.addEventListener('hashchange', route);

// ---- dashboard ----

async function dashboard(page) {
  const stats = (await api.get('stats')).data;
  const day = {};
  for (const hour of stats.hours) {
    for (const [name, count] of Object.entries(hour)) {
      if (name !== 'start') {
        day[name] = (day[name] || 0) + count;
      }
    }
  }
  const delivered = stats.recent.filter((e) => ['stored', 'relayed', 'queued'].includes(e.event));
  const failures = stats.recent.filter((e) => ['failed', 'rejected'].includes(e.event));
  fill(page,
    heading('Dashboard'),
    h('div', { class: 'cards' },
      card('Queue depth', stats.queueDepth < 0 ? '?' : stats.queueDepth, 'messages waiting for other domains', '#/queue'),
      card('Received', day.received || 0, 'MAIL commands, last 24 h'),
      card('Delivered', (day.stored || 0) + (day.relayed || 0), 'stored or relayed, last 24 h'),
      card('Refused or failed', (day.rejected || 0) + (day.failed || 0), 'last 24 h'),
      card('Connections', stats.openConnections, 'CMTP connections open now')),
    h('section', { class: 'panel', 'aria-labelledby': 'traffic-title' },
      h('h2', { id: 'traffic-title' }, 'Traffic, last 24 hours'),
      trafficChart(stats.hours),
      h('ul', { class: 'legend' }, SERIES.map((series) =>
        h('li', {}, h('span', { class: `swatch ${series.name}`, 'aria-hidden': 'true' }), series.label))),
      h('details', {},
        h('summary', {}, 'The same as a table'),
        table('Messages per hour', [
          { label: 'Hour', cell: (hour) => time(hour.start) },
          ...SERIES.map((series) => ({ label: series.label, class: 'num', cell: (hour) => seriesValue(hour, series) })),
        ], stats.hours.slice().reverse()))),
    h('section', { class: 'panel', 'aria-labelledby': 'deliveries-title' },
        h('h2', { id: 'deliveries-title' }, 'Recent deliveries'),
        delivered.length ? eventTable('Recent deliveries', delivered, false)
          : empty('No message delivered or queued since the server started.')),
      h('section', { class: 'panel', 'aria-labelledby': 'failures-title' },
        h('h2', { id: 'failures-title' }, 'Recent failures'),
        failures.length ? eventTable('Recent failures', failures, true)
          : empty('No message refused or failed since the server started.')),
    h('p', { class: 'muted small' }, 'Counts of every instance of this domain since ', time(stats.since),
      ', kept in the database; recent deliveries and failures are this instance\'s since it started.'));
}

function card(label, value, hint, link) {
  const body = [h('span', { class: 'card-label' }, label), h('span', { class: 'card-value' }, String(value)),
    h('span', { class: 'card-hint' }, hint)];
  return link ? h('a', { class: 'card stat', href: link }, body) : h('div', { class: 'card stat' }, body);
}

const EVENT_LABELS = {
  stored: 'stored', relayed: 'relayed', queued: 'queued', failed: 'failed', rejected: 'refused',
};

function eventTable(caption, events, withDetail) {
  return table(caption, [
    { label: 'When', cell: (e) => time(e.time) },
    { label: 'What', cell: (e) => h('span', { class: `badge ${e.event}` }, EVENT_LABELS[e.event] || e.event) },
    { label: 'From', cell: (e) => e.sender },
    { label: 'To', cell: (e) => e.recipient },
    ...(withDetail ? [{ label: 'Why', cell: (e) => e.detail || '—' }] : []),
  ], events.slice(0, 10));
}

// ---- accounts ----

let accountSearch = '';
let accountFirst = 0;

async function accounts(page) {
  const errors = h('div', { class: 'form-errors' });
  const listArea = h('div');

  const searchInput = h('input', { id: 'account-search', type: 'search', value: accountSearch,
    placeholder: 'part of a name' });
  const searchForm = h('form', { class: 'inline', role: 'search', onsubmit: (event) => {
    event.preventDefault();
    accountSearch = searchInput.value.trim();
    accountFirst = 0;
    loadAccounts(listArea).catch((error) => fill(listArea, errorBox(error)));
  } }, h('label', { for: 'account-search' }, 'Search accounts'), searchInput,
  h('button', { type: 'submit' }, 'Search'));

  const nameInput = h('input', { id: 'new-account-name', name: 'name', required: true, autocomplete: 'off',
    'aria-describedby': 'new-account-hint' });
  // 12 characters at least, as the server requires: the xzibit is public, only the password protects it
  const passwordInput = h('input', { id: 'new-account-password', name: 'password', type: 'password', required: true,
    minlength: 12, autocomplete: 'new-password', 'aria-describedby': 'new-account-hint' });
  const createButton = h('button', { type: 'submit', class: 'primary' }, 'Create account');
  const createForm = h('form', { class: 'create', id: 'create-account', onsubmit: (event) => {
    event.preventDefault();
    busy(createButton, errors, async () => {
      for (const input of [nameInput, passwordInput]) {
        input.removeAttribute('aria-invalid');
      }
      try {
        const created = (await api.post('accounts', { name: nameInput.value.trim(), password: passwordInput.value })).data;
        nameInput.value = '';
        passwordInput.value = '';
        notice(`Account ${created.address} created.`);
        await loadAccounts(listArea);
      } catch (error) {
        const field = { name: nameInput, password: passwordInput }[error.field];
        if (field) {
          field.setAttribute('aria-invalid', 'true');
          field.focus();
        }
        throw error;
      }
    });
  } },
  h('h2', {}, 'New account'),
  h('div', { class: 'fields' },
    h('div', {}, h('label', { for: 'new-account-name' }, 'Name'), nameInput),
    h('div', {}, h('label', { for: 'new-account-password' }, 'Password'), passwordInput),
    createButton),
  h('p', { id: 'new-account-hint', class: 'muted small' },
    'The key pair is made on the server and sealed with the password (at least 12 characters), which is not kept.'),
  errors);

  fill(page, heading('Accounts'), h('div', { class: 'panel' }, searchForm, listArea), h('div', { class: 'panel' }, createForm));
  await loadAccounts(listArea);
}

async function loadAccounts(listArea) {
  const query = new URLSearchParams({ first: accountFirst, max: PAGE });
  if (accountSearch) {
    query.set('search', accountSearch);
  }
  const reply = await api.get(`accounts?${query}`);
  const total = Number(reply.headers.get('X-Total-Count') || reply.data.length);
  const rows = reply.data;
  const errors = h('div');
  if (!rows.length) {
    fill(listArea, errors, empty(accountSearch ? `No account name contains “${accountSearch}”.`
      : 'No accounts yet: create the first one below.'));
    return;
  }
  const reload = () => loadAccounts(listArea).catch((error) => fill(errors, errorBox(error)));
  fill(listArea, errors,
    h('p', { class: 'muted small', id: 'account-count' },
      `${accountFirst + 1}–${accountFirst + rows.length} of ${total} account${total === 1 ? '' : 's'}`),
    table('Accounts', [
      { label: 'Name', cell: (a) => h('a', { href: `#/accounts/${seg(a.name)}` }, a.name) },
      { label: 'Address', cell: (a) => a.address },
      { label: 'Key fingerprint', class: 'mono', cell: (a) => a.fingerprint },
      { label: 'Created', cell: (a) => time(a.created) },
      { label: 'Status', cell: (a) => statusBadge(a.enabled) },
      { label: 'Actions', class: 'actions', cell: (a) => [
        toggleButton(a, errors, reload),
        h('button', { type: 'button', class: 'danger', 'aria-label': `Delete ${a.name}`, onclick: (event) =>
          busy(event.currentTarget, errors, async () => {
            if (await confirmAction(`Delete the account ${a.address} and every message in its mailbox? This cannot be undone.`,
              'Delete account')) {
              await api.delete(`accounts/${seg(a.name)}`);
              notice(`Account ${a.address} deleted.`);
              await reload();
            }
          }) }, 'Delete'),
      ] },
    ], rows),
    pager(total, rows.length, accountFirst, (first) => { accountFirst = first; reload(); }));
}

function statusBadge(enabled) {
  return h('span', { class: `badge ${enabled ? 'enabled' : 'disabled'}` }, enabled ? 'enabled' : 'disabled');
}

function toggleButton(account, errors, reload) {
  const label = account.enabled ? 'Disable' : 'Enable';
  return h('button', { type: 'button', 'aria-label': `${label} ${account.name}`, onclick: (event) =>
    busy(event.currentTarget, errors, async () => {
      await api.patch(`accounts/${seg(account.name)}`, { enabled: !account.enabled });
      notice(`Account ${account.address} ${account.enabled ? 'disabled: it gets no mail and cannot log in' : 'enabled'}.`);
      await reload();
    }) }, label);
}

function pager(total, shown, first, go) {
  if (total <= PAGE) {
    return null;
  }
  return h('div', { class: 'pager' },
    h('button', { type: 'button', disabled: first === 0, onclick: () => go(Math.max(0, first - PAGE)) },
      'Previous page'),
    h('button', { type: 'button', disabled: first + shown >= total, onclick: () => go(first + PAGE) },
      'Next page'));
}

// ---- an account's mailbox ----

// The newest messages of a mailbox shown at once; the heading counts them all (X-Total-Count).
const MAILBOX_PAGE = 200;

async function mailbox(page, name) {
  const account = (await api.get(`accounts/${seg(name)}`)).data;
  const reply = await api.get(`accounts/${seg(name)}/messages?max=${MAILBOX_PAGE}`);
  const messages = reply.data;
  const total = Number(reply.headers.get('X-Total-Count') || messages.length);
  const errors = h('div');
  const reload = () => mailbox(page, name).catch((error) => fill(errors, errorBox(error)));
  fill(page,
    h('p', { class: 'crumbs' }, h('a', { href: '#/accounts' }, 'Accounts'), ' › ', account.name),
    heading(`Mailbox of ${account.address}`),
    h('div', { class: 'panel' },
      h('dl', { class: 'facts' },
        h('dt', {}, 'Status'), h('dd', { id: 'account-status' }, statusBadge(account.enabled),
          account.enabled ? '' : ' — gets no mail, its key is not handed out, LOGIN fails; the mailbox is kept'),
        h('dt', {}, 'Key fingerprint'), h('dd', { class: 'mono' }, account.fingerprint),
        h('dt', {}, 'Created'), h('dd', {}, time(account.created)),
        h('dt', {}, 'Usage'), h('dd', { id: 'account-usage' },
          `${account.messages} message${account.messages === 1 ? '' : 's'}`
            + (account.quotaMessages ? ` of ${account.quotaMessages}` : ''),
          ', ', bytes(account.bytes), account.quotaBytes ? ` of ${bytes(account.quotaBytes)}` : '',
          account.quotaMessages || account.quotaBytes ? '' : ' (no quota)')),
      toggleButton(account, errors, reload)),
    errors,
    quotaForm(account, errors, reload),
    h('section', { class: 'panel', 'aria-labelledby': 'messages-title' },
      h('h2', { id: 'messages-title' }, `Messages (${total})`),
      total > messages.length ? h('p', { class: 'muted small' }, `The newest ${messages.length} are shown.`) : null,
      messages.length ? table('Messages', [
        { label: 'Id', class: 'num', cell: (m) => m.id },
        { label: 'From', cell: (m) => m.sender },
        { label: 'Size', class: 'num', cell: (m) => bytes(m.size) },
        { label: 'Received', cell: (m) => time(m.received) },
        { label: 'Client', class: 'mono', cell: (m) => m.clientAddress },
        { label: 'Actions', class: 'actions', cell: (m) => [
          h('button', { type: 'button', 'aria-label': `Download message ${m.id}`, onclick: (event) =>
            busy(event.currentTarget, errors, () => download(name, m.id)) }, 'Download'),
          h('button', { type: 'button', class: 'danger', 'aria-label': `Delete message ${m.id}`, onclick: (event) =>
            busy(event.currentTarget, errors, async () => {
              if (await confirmAction(`Delete message ${m.id} from ${m.sender}? This cannot be undone.`, 'Delete message')) {
                await api.delete(`accounts/${seg(name)}/messages/${m.id}`);
                notice(`Message ${m.id} deleted.`);
                await reload();
              }
            }) }, 'Delete'),
        ] },
      ], messages) : empty('The mailbox is empty.')),
    h('p', { class: 'muted small' },
      'Messages are sealed to the account\'s key: the server cannot read them. Download gives the exact stored bytes.'));
}

/** Limits of one mailbox: messages and bytes, empty or 0 for unlimited. */
function quotaForm(account, errors, reload) {
  const messagesInput = h('input', { id: 'quota-messages', name: 'quotaMessages', type: 'number', min: 0, step: 1,
    value: account.quotaMessages ?? '', placeholder: 'unlimited', 'aria-describedby': 'quota-hint' });
  const bytesInput = h('input', { id: 'quota-bytes', name: 'quotaBytes', type: 'number', min: 0, step: 1,
    value: account.quotaBytes ?? '', placeholder: 'unlimited', 'aria-describedby': 'quota-hint' });
  const button = h('button', { type: 'submit' }, 'Set quota');
  return h('form', { class: 'panel create', id: 'quota-form', onsubmit: (event) => {
    event.preventDefault();
    busy(button, errors, async () => {
      const number = (input) => (input.value.trim() === '' ? 0 : Number(input.value));
      await api.patch(`accounts/${seg(account.name)}`,
        { quotaMessages: number(messagesInput), quotaBytes: number(bytesInput) });
      notice(`Quota of ${account.address} set.`);
      await reload();
    });
  } },
  h('h2', {}, 'Quota'),
  h('div', { class: 'fields' },
    h('div', {}, h('label', { for: 'quota-messages' }, 'Most messages'), messagesInput),
    h('div', {}, h('label', { for: 'quota-bytes' }, 'Most bytes'), bytesInput),
    button),
  h('p', { id: 'quota-hint', class: 'muted small' },
    'Mail that would go over either limit is refused (DELIVERYFAILURE). Empty or 0: unlimited.'));
}

/** The raw message, fetched with the credentials (a plain link would make the browser ask for them). */
async function download(name, id) {
  const blob = (await api.blob(`accounts/${seg(name)}/messages/${id}/raw`)).data;
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: `message-${id}.cmtp`, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  notice(`Message ${id} downloaded (${bytes(blob.size)}).`);
}

// ---- relay queue ----

let queueFilter = { recipient: '', domain: '' };
// The queued messages shown at once, the next to be tried first; the count says how many wait in all.
const QUEUE_PAGE = 200;

async function queue(page) {
  const query = new URLSearchParams({ max: QUEUE_PAGE });
  for (const [key, value] of Object.entries(queueFilter)) {
    if (value) {
      query.set(key, value);
    }
  }
  const filterErrors = h('div');
  let messages = [];
  let total = 0;
  try {
    const reply = await api.get(`queue?${query}`);
    messages = reply.data;
    total = Number(reply.headers.get('X-Total-Count') || messages.length);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 400) {
      throw error;
    }
    fill(filterErrors, errorBox(error));
  }
  const errors = h('div');
  const recipient = h('input', { id: 'queue-recipient', value: queueFilter.recipient, placeholder: 'bob@example.org' });
  const domain = h('input', { id: 'queue-domain', value: queueFilter.domain, placeholder: 'example.org' });
  const filtered = queueFilter.recipient || queueFilter.domain;
  fill(page,
    heading('Relay queue'),
    h('p', { class: 'muted' }, 'Messages for other domains waiting to be delivered; the relay worker retries them with growing waits.'),
    h('form', { class: 'panel inline', role: 'search', onsubmit: (event) => {
      event.preventDefault();
      queueFilter = { recipient: recipient.value.trim(), domain: domain.value.trim() };
      route();
    } },
    h('label', { for: 'queue-recipient' }, 'Recipient'), recipient,
    h('label', { for: 'queue-domain' }, 'Domain'), domain,
    h('button', { type: 'submit' }, 'Filter'),
    filtered ? h('button', { type: 'button', onclick: () => { queueFilter = { recipient: '', domain: '' }; route(); } },
      'Show all') : null),
    filterErrors, errors,
    h('div', { class: 'panel' }, messages.length ? [
    h('p', { class: 'muted small', id: 'queue-count' }, total > messages.length
      ? `The first ${messages.length} of ${total} queued messages.`
      : `${total} queued message${total === 1 ? '' : 's'}.`),
    table('Relay queue', [
      { label: 'Id', class: 'num', cell: (m) => m.id },
      { label: 'From', cell: (m) => m.sender },
      { label: 'To', cell: (m) => m.recipient },
      { label: 'Attempts', class: 'num', cell: (m) => m.attempts },
      { label: 'Queued', cell: (m) => time(m.queued) },
      { label: 'Next attempt', cell: (m) => time(m.nextAttempt) },
      { label: 'Last error', class: 'wrap', cell: (m) => m.lastError || '—' },
      { label: 'Actions', class: 'actions', cell: (m) => [
        h('button', { type: 'button', 'aria-label': `Retry message ${m.id} now`, onclick: (event) =>
          busy(event.currentTarget, errors, async () => {
            await api.post(`queue/${m.id}/retry`);
            notice(`Message ${m.id} will be tried again now.`);
            await route();
          }) }, 'Retry now'),
        h('button', { type: 'button', class: 'danger', 'aria-label': `Delete message ${m.id}`, onclick: (event) =>
          busy(event.currentTarget, errors, async () => {
            if (await confirmAction(`Drop message ${m.id} for ${m.recipient}? It will not be delivered and the sender is not told.`,
              'Delete message')) {
              await api.delete(`queue/${m.id}`);
              notice(`Message ${m.id} dropped from the queue.`);
              await route();
            }
          }) }, 'Delete'),
      ] },
    ], messages)] : empty(filtered ? 'No queued message matches the filter.'
      : 'The relay queue is empty: nothing is waiting for another domain.')));
}

// ---- known servers ----

// The pins are listed a page at a time: anyone who asks this server for a key of some
// domain makes it contact (and pin) that domain's server, so there may be very many.
let knownServerFirst = 0;

async function knownServers(page) {
  const reply = await api.get(`known-servers?${new URLSearchParams({ first: knownServerFirst, max: PAGE })}`);
  const servers = reply.data;
  const total = Number(reply.headers.get('X-Total-Count') || servers.length);
  if (!servers.length && knownServerFirst > 0) { // the last pin of the last page was forgotten
    knownServerFirst = Math.max(0, knownServerFirst - PAGE);
    return knownServers(page);
  }
  const errors = h('div');
  fill(page,
    heading('Known servers'),
    h('p', { class: 'muted' }, 'Other domains\' server keys, pinned on first contact. A different key is refused until its pin is forgotten.'),
    errors,
    h('div', { class: 'panel' }, servers.length ? [
    h('p', { class: 'muted small', id: 'known-server-count' },
      `${knownServerFirst + 1}–${knownServerFirst + servers.length} of ${total} known server${total === 1 ? '' : 's'}`),
    table('Known servers', [
      { label: 'Domain', cell: (s) => s.domain },
      { label: 'Pinned key', class: 'mono key', cell: (s) => s.publicKey },
      { label: 'First seen', cell: (s) => time(s.firstSeen) },
      { label: 'Last seen', cell: (s) => time(s.lastSeen) },
      { label: 'Refused key', class: 'mono key', cell: (s) => s.offeredKey
        ? h('span', { class: 'warning' }, s.offeredKey, h('br'), 'offered ', time(s.offeredAt)) : '—' },
      { label: 'Actions', class: 'actions', cell: (s) => h('button', { type: 'button', class: 'danger',
        'aria-label': `Forget the pin of ${s.domain}`, onclick: (event) => busy(event.currentTarget, errors, async () => {
          if (await confirmAction(`Forget the pinned key of ${s.domain}? The next contact trusts whatever key its server presents.`,
            'Forget pin')) {
            await api.delete(`known-servers/${seg(s.domain)}`);
            notice(`Pin of ${s.domain} forgotten.`);
            await route();
          }
        }) }, 'Forget pin') },
    ], servers),
    pager(total, servers.length, knownServerFirst, (first) => { knownServerFirst = first; route(); }),
    ] : empty('No other domain\'s server has been contacted yet.')));
}

// ---- DNS check ----

let lastDnsDomain = '';

async function dns(page) {
  const input = h('input', { id: 'dns-domain', required: true, value: lastDnsDomain, placeholder: 'example.org' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Check');
  const result = h('div', { id: 'dns-result', 'aria-live': 'polite' });
  const check = () => busy(button, result, async () => {
    lastDnsDomain = input.value.trim();
    if (!lastDnsDomain) {
      throw new ApiError(400, { detail: 'enter a domain name', field: 'domain' });
    }
    const answer = (await api.get(`dns/${seg(lastDnsDomain)}`)).data;
    fill(result, dnsAnswer(answer));
  });
  fill(page,
    heading('DNS check'),
    h('p', { class: 'muted' }, 'Where mail for a domain would go, found as the relay worker finds it.'),
    h('form', { class: 'panel inline', onsubmit: (event) => { event.preventDefault(); check(); } },
      h('label', { for: 'dns-domain' }, 'Domain'), input, button),
    result);
  if (lastDnsDomain) {
    check();
  }
}

const SOURCES = {
  STATIC_ROUTE: 'a static route (cmtp.routes)',
  MX: 'MX records',
  IMPLICIT_MX: 'the domain\'s own address (no MX records)',
  NULL_MX: 'a null MX: the domain accepts no mail',
};

function dnsAnswer(answer) {
  return h('section', { class: 'panel', 'aria-labelledby': 'dns-answer-title' },
    h('h2', { id: 'dns-answer-title' }, answer.domain),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Found by'), h('dd', {}, SOURCES[answer.source] || answer.source),
      h('dt', {}, 'DNSSEC'), h('dd', {}, answer.secure ? 'every answer authenticated' : 'not authenticated',
        ` (policy: ${answer.dnssec})`)),
    answer.hosts.length ? table('Hosts', [
      { label: 'Host', cell: (host) => host.name },
      { label: 'Preference', class: 'num', cell: (host) => host.preference },
      { label: 'Addresses', class: 'mono', cell: (host) => host.addresses.length ? host.addresses.join(', ') : '—' },
      { label: 'Problem', cell: (host) => host.problem ? h('span', { class: 'warning' }, host.problem) : '—' },
    ], answer.hosts) : empty('No host to deliver to.'));
}

// ---- server identity ----

async function identity(page) {
  const server = (await api.get('server')).data;
  fill(page,
    heading('Server identity'),
    h('p', { class: 'muted' }, 'The key that signs this server\'s replies and receipts; clients and other servers pin it.'),
    h('div', { class: 'panel' },
      h('dl', { class: 'facts' },
        h('dt', {}, 'Domains'), h('dd', { id: 'identity-domains' }, server.domains.join(', ')),
        h('dt', {}, 'Fingerprint'), h('dd', { class: 'mono', id: 'identity-fingerprint' }, server.fingerprint),
        h('dt', {}, 'Public key'), h('dd', { class: 'mono key', id: 'identity-key' }, server.publicKey),
        h('dt', {}, 'Since'), h('dd', {}, time(server.since)))),
    adminPasswordForm());
}

/** Changes the admin password for every instance at once; this tab keeps working with the new one. */
function adminPasswordForm() {
  const errors = h('div', { class: 'form-errors' });
  const current = h('input', { id: 'admin-current-password', type: 'password', required: true,
    autocomplete: 'current-password' });
  const next = h('input', { id: 'admin-new-password', type: 'password', required: true, minlength: 12,
    autocomplete: 'new-password', 'aria-describedby': 'admin-password-hint' });
  const again = h('input', { id: 'admin-new-password-again', type: 'password', required: true, minlength: 12,
    autocomplete: 'new-password' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Change admin password');
  return h('form', { class: 'panel create', id: 'admin-password-form', onsubmit: (event) => {
    event.preventDefault();
    busy(button, errors, async () => {
      for (const input of [current, next, again]) {
        input.removeAttribute('aria-invalid');
      }
      if (next.value !== again.value) {
        again.setAttribute('aria-invalid', 'true');
        again.focus();
        throw new ApiError(400, { detail: 'The new password and its repetition differ.' });
      }
      try {
        await changeAdminPassword(current.value, next.value);
      } catch (error) {
        const field = { currentPassword: current, newPassword: next }[error.field];
        if (field) {
          field.setAttribute('aria-invalid', 'true');
          field.focus();
        }
        throw error;
      }
      for (const input of [current, next, again]) {
        input.value = '';
      }
      notice('Admin password changed: every instance sharing the database takes only the new one now.');
    });
  } },
  h('h2', {}, 'Admin password'),
  h('div', { class: 'fields' },
    h('div', {}, h('label', { for: 'admin-current-password' }, 'Current password'), current),
    h('div', {}, h('label', { for: 'admin-new-password' }, 'New password'), next),
    h('div', {}, h('label', { for: 'admin-new-password-again' }, 'New password again'), again),
    button),
  h('p', { id: 'admin-password-hint', class: 'muted small' },
    'At least 12 characters. Kept as a hash in the database; a restart keeps it unless CMTP_ADMIN_PASSWORD is changed.'),
  errors);
}

// ---- start ----

if (signedIn()) {
  showApp();
} else {
  showSignIn(null);
}
