// CMTP webmail: sign-in by proof of key, inbox, read, write, password and sessions, all
// cryptography in this page (crypto.js on libsodium). The server sees sealed bytes, the
// key's signatures and the new xzibit, never the password or the secret key (ADR 0024).
// Secrets live only in this module's memory: wiped on sign-out and when the tab goes away.
import sodium from './vendor/libsodium-wrappers.js';
import * as c from './crypto.js';
import { el, show, visible, size, when, safeFileName } from './dom.js';

const API = new URL('../api/user/', document.baseURI);
const PAGE_SIZES = [25, 50, 100];
const MIN_PASSWORD = 12;
const PIN_PREFIX = 'cmtp-webmail.server-key.';
const PAGE_SIZE_KEY = 'cmtp-webmail.page-size'; // a preference, nothing secret
const BODIES_PER_REQUEST = 50; // of the 100 ids the server takes: a page of 100 goes as two requests side by side

let s; // the crypto functions bound to libsodium, once it is ready
/** The signed-in session: {address, account, domain, token, sessionId, serverKey, keys}; null when out. */
let session = null;
/** Opened bodies by message id: {version, body} (plaintext; dropped on sign-out). */
let opened = new Map();
let newest = 0;
let waiting = null; // AbortController of the long poll
let limits = null;
let draft = null; // what Reply and Forward hand to the write view
let inboxPage = { offset: 0, limit: 50 };

const $ = (id) => document.getElementById(id);

// ---- the API -------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

async function api(path, { method = 'GET', json, bytes, as = 'json', signal, auth = true } = {}) {
  const headers = { Accept: as === 'json' ? 'application/json' : 'application/octet-stream' };
  if (auth && session) headers.Authorization = `Bearer ${session.token}`;
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (bytes !== undefined) {
    headers['Content-Type'] = 'application/octet-stream';
    body = bytes;
  }
  let response;
  try {
    response = await fetch(new URL(path, API), { method, headers, body, signal, credentials: 'omit', cache: 'no-store' });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'The server cannot be reached. Check your connection and try again.');
  }
  if (!response.ok) {
    let detail = `The server answered ${response.status}.`;
    try {
      const problem = await response.json();
      detail = problem.detail || problem.title || detail;
    } catch {
      // not a problem document: the status says it
    }
    if (response.status === 401 && auth && session) {
      signOut('Your session has ended (it expired or was revoked). Sign in again.', false);
    }
    throw new ApiError(response.status, detail);
  }
  if (as === 'bytes') return { bytes: new Uint8Array(await response.arrayBuffer()), headers: response.headers };
  const text = await response.text();
  return { data: text ? JSON.parse(text) : null, headers: response.headers };
}

const seg = encodeURIComponent;

// ---- sign-in and sign-out --------------------------------------------------------------------

async function signIn(address, password) {
  const { account } = c.parseAddress(address);
  const challenge = (await api('signin/challenge', { method: 'POST', json: { address }, auth: false })).data;
  if (challenge.account !== account) throw new c.CmtpError('The server answered for another account.');
  const serverKey = c.fromHex(challenge.serverKey);
  const pinned = localStorage.getItem(PIN_PREFIX + challenge.domain);
  if (pinned && pinned !== challenge.serverKey) {
    throw new c.CmtpError(`The server's key for ${challenge.domain} changed: it was ${pinned}, it is now `
      + `${challenge.serverKey}. Do not sign in until the operator confirms the new key; then clear this site's `
      + 'data in the browser to accept it.');
  }
  const reply = (await api(`xzibit/${seg(account)}`, { as: 'bytes', auth: false })).bytes;
  const xzibit = s.xzibitFromReply(reply, serverKey);
  let keys;
  try {
    keys = s.openXzibit(xzibit, password);
  } finally {
    c.wipe(password);
  }
  try {
    const statement = c.signInStatement(challenge.domain, challenge.account, serverKey,
      c.fromBase64url(challenge.challenge), challenge.expiresEpochSecond);
    const signature = s.sign(keys.secretKey, statement);
    const signedIn = (await api('signin', {
      method: 'POST', auth: false,
      json: { account: challenge.account, challenge: challenge.challenge, signature: c.hex(signature) },
    })).data;
    localStorage.setItem(PIN_PREFIX + challenge.domain, challenge.serverKey); // public; pinned on first use
    session = {
      address: `${challenge.account}@${challenge.domain}`, account: challenge.account, domain: challenge.domain,
      token: signedIn.token, sessionId: signedIn.sessionId, serverKey, keys,
    };
  } catch (e) {
    c.wipe(keys.secretKey);
    throw e;
  }
}

/** Forgets every secret; revokes the session on the server unless it is already gone. */
function signOut(message, revoke = true) {
  if (session && revoke) {
    // keepalive: the request still goes out when the tab is closing
    fetch(new URL(`sessions/${seg(session.sessionId)}`, API), {
      method: 'DELETE', keepalive: true, credentials: 'omit',
      headers: { Authorization: `Bearer ${session.token}` },
    }).catch(() => {});
  }
  if (session) c.wipe(session.keys.secretKey, session.keys.publicKey);
  session = null;
  opened = new Map();
  draft = null;
  limits = null;
  newest = 0;
  waiting?.abort();
  waiting = null;
  show($('view'));
  $('view').dataset.ready = '';
  $('app').hidden = true;
  $('signin').hidden = false;
  $('signin-password').value = '';
  const error = $('signin-error');
  error.hidden = !message;
  error.textContent = message || '';
  if (location.hash !== '') history.replaceState(null, '', location.pathname);
  $('signin-address').focus();
}

// ---- opening messages ---------------------------------------------------------------------------

/** The opened body of message id (fetched and decrypted once per sign-in). */
async function openBody(id) {
  if (!opened.has(id)) {
    const { bytes, headers } = await api(`messages/${id}/body`, { as: 'bytes' });
    const version = Number(headers.get('X-CMTP-Version') ?? '1');
    const body = c.decodeBody(version === 0 ? bytes : s.open(bytes, session.keys));
    opened.set(id, { version, body });
  }
  return opened.get(id);
}

/**
 * Opens the bodies of a listing's messages ahead of drawing them: 50 per request
 * (`bodies?ids=`, no attachments), two requests at a time, instead of one request each.
 * What this cannot open is left to openBody, which fetches it alone and says why it failed.
 */
async function openBodies(ids) {
  const chunks = [];
  const wanted = ids.filter((id) => !opened.has(id));
  for (let i = 0; i < wanted.length; i += BODIES_PER_REQUEST) chunks.push(wanted.slice(i, i + BODIES_PER_REQUEST));
  await eachLimited(chunks, 2, async (chunk) => {
    let ask = chunk;
    while (ask.length > 0) {
      const { data } = await api(`messages/bodies?ids=${ask.join(',')}`);
      for (const m of data.messages) {
        try {
          const bytes = c.fromBase64url(m.body);
          opened.set(m.id, { version: m.version, body: c.decodeBody(m.version === 0 ? bytes : s.open(bytes, session.keys)) });
        } catch {
          // openBody tries this one again alone and shows the reason
        }
      }
      ask = data.later;
    }
  });
}

async function openAttachment(id, index, version) {
  const { bytes } = await api(`messages/${id}/attachments/${index}`, { as: 'bytes' });
  return c.decodeAttachment(version === 0 ? bytes : s.open(bytes, session.keys));
}

/** Runs f over items, at most `width` at a time (the browser would queue more anyway). */
async function eachLimited(items, width, f) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await f(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

// ---- new mail without reloading --------------------------------------------------------------------

async function waitForMail() {
  const controller = new AbortController();
  waiting = controller;
  while (session && waiting === controller) {
    try {
      const arrived = (await api(`messages/wait?after=${newest}&timeout=30`, { signal: controller.signal })).data;
      if (!arrived.length) continue;
      newest = Math.max(newest, ...arrived.map((m) => m.id));
      const from = arrived.map((m) => visible(m.sender)).join(', ');
      notice(arrived.length === 1 ? `New message from ${from}.` : `${arrived.length} new messages from ${from}.`);
      if (currentRoute().name === 'inbox' && inboxPage.offset === 0 && shownPage()) await renderInbox(shownPage());
      else await refreshUnread();
    } catch (e) {
      if (e.name === 'AbortError' || !session) return;
      await new Promise((r) => setTimeout(r, 5000)); // server away: try again shortly
    }
  }
}

async function refreshUnread() {
  // the first page says how many of the newest are unread: enough for a badge
  const { data } = await api('messages?offset=0&limit=100');
  const unread = data.filter((m) => !m.read).length;
  const badge = $('unread');
  badge.hidden = unread === 0;
  badge.textContent = unread === 0 ? '' : String(unread);
  badge.setAttribute('aria-label', `${unread} unread`);
}

// ---- views ----------------------------------------------------------------------------------------

let noticeTimer;
function notice(text) {
  const box = $('notice');
  box.textContent = text;
  box.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { box.hidden = true; }, 8000);
}

function errorBox(error) {
  return el('p', { class: 'error', role: 'alert' }, error.message || String(error));
}

function title(text) {
  return el('h1', { tabindex: '-1', class: 'view-title' }, text);
}

function currentRoute() {
  const [name = 'inbox', arg] = location.hash.replace(/^#\/?/, '').split('/');
  return { name: name || 'inbox', arg };
}

async function route() {
  if (!session) return;
  const { name, arg } = currentRoute();
  for (const link of document.querySelectorAll('.side a')) {
    if (link.dataset.section === (name === 'message' ? 'inbox' : name)) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  $('view').dataset.ready = ''; // set again by the view once it is drawn (and decrypted)
  // Each route draws into a page of its own: a slow view (an inbox still decrypting when
  // the user opens a message) fills a page no longer shown instead of the one that is.
  const page = el('div', { class: 'page' }, el('p', { class: 'muted' }, 'Loading…'));
  show($('view'), page);
  try {
    if (name === 'message' && /^\d+$/.test(arg || '')) await renderMessage(page, Number(arg));
    else if (name === 'write') await renderWrite(page);
    else if (name === 'settings') await renderSettings(page);
    else await renderInbox(page);
  } catch (e) {
    if (session) show(page, title('Something went wrong'), errorBox(e));
  }
  if (session && page.isConnected) page.querySelector('.view-title')?.focus();
}

/** The page shown now, for a view that redraws itself in place (new mail, a revoked session). */
function shownPage() {
  return $('view').querySelector(':scope > .page');
}

/** Tells the tests and assistive code that a view is drawn, unless a later route replaced it. */
function drawn(view, name) {
  if (view.isConnected) $('view').dataset.ready = name;
}

async function renderInbox(view) {
  const { data: page, headers } = await api(`messages?offset=${inboxPage.offset}&limit=${inboxPage.limit}`);
  const total = Number(headers.get('X-Total-Count') ?? page.length);
  if (inboxPage.offset === 0 && page.length) newest = Math.max(newest, page[0].id);
  const rows = page.map((m) => {
    const subject = el('span', { class: 'subject' }, 'decrypting…');
    const link = el('a', { href: `#/message/${m.id}`, 'data-id': m.id }, subject);
    return {
      m, subject,
      row: el('tr', { class: m.read ? 'read' : 'unread', 'data-id': m.id },
        el('td', { class: 'flag' }, m.read ? '' : el('span', { class: 'dot', title: 'unread' }, el('span', { class: 'sr' }, 'unread'))),
        el('td', { class: 'from' }, senderName(m.sender)),
        el('td', { class: 'subj' }, link,
          m.attachments ? el('span', { class: 'tag clip' }, m.attachments === 1 ? '1 file' : `${m.attachments} files`) : null),
        el('td', { class: 'date' }, when(m.received)),
        el('td', { class: 'num' }, size(m.size))),
    };
  });
  const sizeSelect = el('select', { id: 'page-size',
    onchange: (e) => {
      inboxPage = { offset: 0, limit: Number(e.target.value) };
      localStorage.setItem(PAGE_SIZE_KEY, e.target.value);
      route();
    } },
    PAGE_SIZES.map((n) => el('option', { value: n, selected: n === inboxPage.limit }, String(n))));
  const pager = el('div', { class: 'pager' },
    el('button', { type: 'button', disabled: inboxPage.offset === 0,
      onclick: () => { inboxPage.offset = Math.max(0, inboxPage.offset - inboxPage.limit); route(); } }, '← Newer'),
    el('span', { class: 'muted' }, total === 0 ? '' : `${inboxPage.offset + 1}–${inboxPage.offset + page.length} of ${total}`),
    el('button', { type: 'button', disabled: inboxPage.offset + page.length >= total,
      onclick: () => { inboxPage.offset += inboxPage.limit; route(); } }, 'Older →'),
    el('label', { for: 'page-size', class: 'muted' }, 'Per page'), sizeSelect);
  show(view, title('Inbox'),
    total === 0 ? el('p', { class: 'empty' }, 'No mail yet. New messages appear here as they arrive.')
      : el('table', { class: 'inbox' },
        el('caption', { class: 'sr' }, 'Messages, newest first'),
        el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, el('span', { class: 'sr' }, 'Unread')),
          ['From', 'Subject', 'Received', 'Size'].map((label) => el('th', { scope: 'col' }, label)))),
        el('tbody', {}, rows.map((r) => r.row))),
    pager);
  const unread = page.filter((m) => !m.read).length;
  $('unread').hidden = inboxPage.offset !== 0 || unread === 0;
  $('unread').textContent = String(unread);
  try {
    await openBodies(rows.map((r) => r.m.id));
  } catch {
    // a server without bodies?ids=, or a failed batch: the rows below open one by one
  }
  await eachLimited(rows, 6, async (r) => {
    try {
      const { version, body } = await openBody(r.m.id);
      show(r.subject, visible(body.subject) || '(no subject)');
      if (version === 0) r.subject.append(el('span', { class: 'tag plain' }, 'not encrypted'));
      if (r.m.viaSmtp) r.subject.append(el('span', { class: 'tag plain' }, 'arrived by SMTP'));
    } catch (e) {
      show(r.subject, el('span', { class: 'warn' }, `cannot be opened: ${e.message}`));
    }
  });
  drawn(view, 'inbox');
}

/** The listing's sender; "@domain" (an empty account) is that domain's mail server itself. */
function senderName(sender) {
  return sender.startsWith('@') ? `${visible(sender.slice(1))} (mail server)` : visible(sender);
}

function addressOf(a) {
  return `${a.account}@${a.domain}`;
}

async function renderMessage(view, id) {
  const { data: entry } = await api(`messages/${id}`);
  const { version, body } = await openBody(id);
  if (!entry.read) {
    await api(`messages/${id}`, { method: 'PATCH', json: { read: true } });
    entry.read = true;
    refreshUnread().catch(() => {});
  }
  const attachmentList = el('ul', { class: 'attachments' });
  const files = [];
  const facts = el('dl', { class: 'facts' },
    el('dt', {}, 'From'), el('dd', { id: 'msg-from' }, senderName(entry.sender)),
    el('dt', {}, 'Reply-To'), el('dd', { id: 'msg-reply-to' }, visible(body.replyTo) || '—'),
    el('dt', {}, 'To'), el('dd', {}, session.address),
    body.carbonCopies.length ? [el('dt', {}, 'Cc'), el('dd', { id: 'msg-cc' }, visible(body.carbonCopies.map(addressOf).join(', ')))] : null,
    el('dt', {}, 'Date'), el('dd', { id: 'msg-date' }, when(body.date)),
    el('dt', {}, 'Received'), el('dd', {}, when(entry.received)));
  const readButton = el('button', { type: 'button', id: 'mark-unread',
    onclick: async () => {
      entry.read = !entry.read;
      await api(`messages/${id}`, { method: 'PATCH', json: { read: entry.read } });
      readButton.textContent = entry.read ? 'Mark unread' : 'Mark read';
      notice(entry.read ? 'Marked read.' : 'Marked unread.');
      refreshUnread().catch(() => {});
    } }, 'Mark unread');
  const actions = el('div', { class: 'actions' },
    el('button', { type: 'button', id: 'reply', class: 'primary', onclick: () => startReply(entry, body) }, 'Reply'),
    el('button', { type: 'button', id: 'forward', onclick: () => startForward(body, files) }, 'Forward'),
    readButton,
    el('button', { type: 'button', id: 'delete', class: 'danger',
      onclick: async () => {
        if (!window.confirm('Delete this message? This cannot be undone.')) return;
        await api(`messages/${id}`, { method: 'DELETE' });
        opened.delete(id);
        notice('Message deleted.');
        location.hash = '#/inbox';
      } }, 'Delete'));
  show(view,
    el('p', { class: 'crumbs' }, el('a', { href: '#/inbox' }, '← Inbox')),
    el('h1', { tabindex: '-1', class: 'view-title', id: 'msg-subject', dir: 'auto' }, visible(body.subject) || '(no subject)'),
    version === 0 ? el('p', { class: 'tag plain', id: 'msg-plain' },
      'Not encrypted: this message came in the clear (a delivery notice from a server, or a sender who chose '
      + 'plaintext). Anyone on its way could read it.') : null,
    entry.viaSmtp ? el('p', { class: 'tag plain', id: 'msg-via-smtp' },
      'Arrived by SMTP, encrypted on arrival, not end to end: it came from the SMTP world in the clear, and this '
      + 'server sealed it to your key when it arrived. Every mail server before it could read it.') : null,
    facts, actions,
    el('pre', { class: 'text', id: 'msg-text', dir: 'auto' }, visible(body.text)),
    entry.attachments ? [el('h2', {}, 'Attachments'), attachmentList] : null);
  for (let i = 0; i < entry.attachments; i++) {
    const item = el('li', {}, `attachment ${i + 1}: decrypting…`);
    attachmentList.append(item);
    try {
      const file = await openAttachment(id, i, version);
      files.push(file);
      const name = safeFileName(file.name);
      show(item, el('span', { class: 'name', dir: 'auto' }, visible(file.name)), ' ',
        el('span', { class: 'muted' }, `(${size(file.data.length)})`), ' ',
        el('button', { type: 'button', class: 'download', 'data-name': name, onclick: () => download(name, file.data) },
          'Download', el('span', { class: 'sr' }, ` ${name}`)));
    } catch (e) {
      show(item, el('span', { class: 'warn' }, `attachment ${i + 1} cannot be opened: ${e.message}`));
    }
  }
  drawn(view, `message-${id}`);
}

function download(name, data) {
  const url = URL.createObjectURL(new Blob([data], { type: 'application/octet-stream' }));
  const a = el('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

function quote(body, header) {
  return `\n\n${header}\n${body.text.split('\n').map((line) => `> ${line}`).join('\n')}`;
}

function startReply(entry, body) {
  const to = body.replyTo || entry.sender;
  draft = {
    to, cc: '', subject: /^re:/i.test(body.subject) ? body.subject : `Re: ${body.subject}`,
    text: quote(body, `On ${body.date}, ${entry.sender} wrote:`), files: [],
  };
  location.hash = '#/write';
}

function startForward(body, files) {
  draft = {
    to: '', cc: '', subject: /^fwd:/i.test(body.subject) ? body.subject : `Fwd: ${body.subject}`,
    text: quote(body, `Forwarded message of ${body.date}:`), files: files.map((f) => ({ name: f.name, data: f.data })),
  };
  location.hash = '#/write';
}

async function renderWrite(view) {
  if (!limits) limits = (await api('messages/limits')).data;
  const d = draft ?? { to: '', cc: '', subject: '', text: '', files: [] };
  draft = null;
  const files = [...d.files];
  const fileList = el('ul', { class: 'files', id: 'files' });
  const status = el('div', { id: 'send-status', role: 'status', 'aria-live': 'polite' });
  const total = () => files.reduce((n, f) => n + f.data.length, 0);
  const sizeHint = el('p', { class: 'muted', id: 'size-hint' });
  const renderFiles = () => {
    show(fileList, files.map((f, i) => el('li', {}, el('span', { dir: 'auto' }, visible(f.name)), ` (${size(f.data.length)}) `,
      el('button', { type: 'button', onclick: () => { files.splice(i, 1); renderFiles(); } }, 'Remove',
        el('span', { class: 'sr' }, ` ${f.name}`)))));
    show(sizeHint, `Attachments: ${size(total())} of at most about ${size(Math.max(0, limits.maxMessageSize - 4096))}`
      + ` per message (this server's limit is ${size(limits.maxMessageSize)} with encryption), up to ${limits.maxAttachments} files.`);
  };
  const field = (id, label, props = {}, hint) => [el('label', { for: id }, label),
    el('input', { id, name: id, ...props }), hint ? el('p', { class: 'hint', id: `${id}-hint` }, hint) : null];
  const picker = el('input', { id: 'w-files', type: 'file', multiple: true,
    onchange: async (e) => {
      for (const file of e.target.files) files.push({ name: file.name, data: new Uint8Array(await file.arrayBuffer()) });
      e.target.value = '';
      renderFiles();
    } });
  const send = el('button', { type: 'submit', class: 'primary', id: 'send' }, 'Send');
  const form = el('form', { class: 'write', novalidate: true },
    field('w-to', 'To', { value: d.to, required: true, autocomplete: 'off', 'aria-describedby': 'w-to-hint' },
      'One or more addresses, separated by commas.'),
    field('w-cc', 'Cc', { value: d.cc, autocomplete: 'off' }),
    field('w-reply-to', 'Reply-To', { value: '', placeholder: session.address, autocomplete: 'off' }),
    field('w-subject', 'Subject', { value: d.subject, maxlength: 200 }),
    el('label', { for: 'w-text' }, 'Text'),
    el('textarea', { id: 'w-text', rows: 14 }, d.text),
    el('label', { for: 'w-files' }, 'Attachments'), picker, sizeHint, fileList,
    el('div', { class: 'plaintext-choice' },
      el('input', { id: 'w-plaintext', type: 'checkbox', 'aria-describedby': 'w-plaintext-hint' }),
      el('label', { for: 'w-plaintext' }, 'Send in plaintext to recipients without a key'),
      el('p', { class: 'hint', id: 'w-plaintext-hint' }, 'Off: a recipient without a key gets nothing. On: that '
        + 'recipient gets this message NOT encrypted — your server, every server on the way and the recipient\'s '
        + 'mail provider can read it (over SMTP if the domain has no CMTP server). Recipients with a key still get '
        + 'it encrypted.')),
    el('div', { class: 'actions' }, send), status);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    send.disabled = true;
    try {
      await sendMail(form, files, status);
    } catch (error) {
      show(status, errorBox(error));
    } finally {
      send.disabled = false;
    }
  });
  show(view, title('Write'), form);
  renderFiles();
  drawn(view, 'write');
}

/** Seals per recipient, submits, checks each signed receipt; shows what became of each. */
async function sendMail(form, files, status) {
  const value = (id) => form.querySelector(`#${id}`).value;
  const to = c.parseAddressList(value('w-to'));
  const cc = c.parseAddressList(value('w-cc'));
  if (!to.length) throw new c.CmtpError('Name at least one recipient in To.');
  const replyTo = value('w-reply-to').trim() || session.address;
  if (value('w-reply-to').trim()) c.parseAddress(replyTo);
  if (files.length > limits.maxAttachments) throw new c.CmtpError(`At most ${limits.maxAttachments} attachments fit in one message.`);
  const body = c.encodeBody({ replyTo, subject: value('w-subject'), date: c.formatDate(), carbonCopies: cc, text: value('w-text') });
  const blobs = files.map((f) => c.encodeAttachment(f.name, f.data));
  const recipients = [];
  for (const r of [...to, ...cc]) {
    if (!recipients.some((x) => x.account === r.account && x.domain.toLowerCase() === r.domain.toLowerCase())) recipients.push(r);
  }
  const list = el('ul', { class: 'outcomes' });
  show(status, el('h2', {}, 'Sending'), list);
  const plaintextWithoutKey = form.querySelector('#w-plaintext').checked;
  let sent = 0;
  for (const r of recipients) {
    const item = el('li', { 'data-recipient': addressOf(r) }, `${addressOf(r)}: sealing…`);
    list.append(item);
    const [word, cls] = await sendOne(r, body, blobs, plaintextWithoutKey).catch((e) => [`error: ${e.message}`, 'failed']);
    item.className = cls;
    show(item, el('strong', {}, visible(addressOf(r))), `: ${word}`);
    if (cls === 'delivered' || cls === 'queued') sent++;
  }
  notice(`${sent} of ${recipients.length} sent.`);
}

/** Lower case, IDNA A-labels, no trailing dot (PROTOCOL.md §4a), as the browser's URL parser makes a host. */
function canonicalDomain(domain) {
  try {
    return new URL(`http://${domain}/`).hostname.replace(/\.$/, '');
  } catch {
    return domain.toLowerCase();
  }
}

async function sendOne(recipient, body, blobs, plaintextWithoutKey) {
  let key;
  try {
    key = (await api(`keys/${seg(addressOf(recipient))}`)).data;
  } catch (e) {
    if (e.status !== 404) throw e;
    if (!plaintextWithoutKey) return ['no key (not sent): the address does not exist or its server does not answer', 'nokey'];
    // the sender ticked the box: crypto version 0, body and attachments as they are (PROTOCOL.md §6)
    const destination = { account: recipient.account, domain: canonicalDomain(recipient.domain) };
    const [word, cls] = await submit(c.encodeMessage({
      version: 0, destination, source: { account: session.account, domain: session.domain }, log: '',
      body, attachments: blobs,
    }), destination.domain);
    return cls === 'delivered' || cls === 'queued' ? [`sent in plaintext, NOT encrypted: ${word}`, `${cls} plaintext`] : [word, cls];
  }
  const publicKey = c.fromHex(key.publicKey);
  if (key.account !== recipient.account || key.domain !== canonicalDomain(recipient.domain)
      || !s.verify(session.serverKey, c.keyBindStatement(key.account, key.domain, publicKey), c.fromHex(key.signature))) {
    return ['not sent: the key the server gave is not signed by your server\'s key for this address', 'failed'];
  }
  return submit(c.encodeMessage({
    version: 1, destination: { account: key.account, domain: key.domain },
    source: { account: session.account, domain: session.domain }, log: '',
    body: s.seal(body, publicKey), attachments: blobs.map((b) => s.seal(b, publicKey)),
  }), key.domain);
}

/** Submits one message to the user API and checks the server's signed receipt over its bytes. */
async function submit(message, domain) {
  if (message.length > limits.maxMessageSize) {
    return [`not sent: ${size(message.length)} sealed is over this server's limit of ${size(limits.maxMessageSize)}`, 'failed'];
  }
  const receipt = (await api('messages', { method: 'POST', bytes: message })).data;
  const hash = s.hash512(message);
  if (receipt.hash !== c.hex(hash)
      || !s.verify(session.serverKey, c.statusStatement(receipt.status, hash), c.fromHex(receipt.signature))) {
    return ['the server\'s answer is not signed by its key over this message: treat it as not sent', 'failed'];
  }
  if (receipt.status !== 'SUCCESS') return [`refused by the server (${receipt.status})`, 'refused'];
  return domain === session.domain
    ? ['delivered (stored in the mailbox; signed receipt checked)', 'delivered']
    : [`queued for ${domain} (signed receipt checked)`, 'queued'];
}

async function renderSettings(view) {
  const { data: sessions } = await api('sessions');
  const pwStatus = el('div', { id: 'password-status', role: 'status', 'aria-live': 'polite' });
  const change = el('button', { type: 'submit', class: 'primary', id: 'change-password' }, 'Change password');
  const pwField = (id, label, autocomplete) => [el('label', { for: id }, label),
    el('input', { id, type: 'password', autocomplete, required: true })];
  const form = el('form', { class: 'password', novalidate: true },
    pwField('pw-current', 'Current password', 'current-password'),
    pwField('pw-new', `New password (at least ${MIN_PASSWORD} characters)`, 'new-password'),
    pwField('pw-repeat', 'New password again', 'new-password'),
    el('div', { class: 'actions' }, change), pwStatus);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    change.disabled = true;
    show(pwStatus);
    const inputs = ['pw-current', 'pw-new', 'pw-repeat'].map((id) => form.querySelector(`#${id}`));
    try {
      const [current, fresh, repeat] = inputs.map((i) => i.value);
      if (fresh.length < MIN_PASSWORD) throw new c.CmtpError(`The new password needs at least ${MIN_PASSWORD} characters.`);
      if (fresh !== repeat) throw new c.CmtpError('The two new passwords differ. Type the same one twice.');
      await changePassword(c.utf8(current), c.utf8(fresh));
      inputs.forEach((i) => { i.value = ''; });
      show(pwStatus, el('p', { class: 'ok' }, 'Password changed. Your key was sealed again here; only the new sealed key was sent.'));
    } catch (error) {
      show(pwStatus, errorBox(error));
    } finally {
      change.disabled = false;
    }
  });
  const rows = sessions.map((x) => el('tr', { 'data-session': x.id },
    el('td', {}, x.current ? el('strong', {}, 'this one') : el('span', { class: 'mono' }, x.id.slice(0, 8))),
    el('td', {}, visible(x.clientAddress)), el('td', { class: 'wide' }, when(x.created)), el('td', {}, when(x.lastUsed)),
    el('td', { class: 'wide' }, when(x.expires)),
    el('td', {}, el('button', { type: 'button', class: 'danger',
      onclick: async () => {
        if (x.current) {
          signOut('You revoked this session and are signed out.');
          return;
        }
        await api(`sessions/${seg(x.id)}`, { method: 'DELETE' });
        notice('Session revoked.');
        renderSettings(view);
      } }, 'Revoke', el('span', { class: 'sr' }, x.current ? ' (signs you out)' : ` session ${x.id.slice(0, 8)}`)))));
  show(view, title('Password and sessions'),
    el('section', { class: 'panel' }, el('h2', {}, 'Change password'),
      el('p', { class: 'muted' }, 'Your key is unlocked with the current password and sealed with the new one in this page.'),
      form),
    el('section', { class: 'panel' }, el('h2', {}, 'Sessions'),
      el('div', { class: 'scroll' }, el('table', { class: 'sessions' },
        el('caption', { class: 'sr' }, 'Your signed-in sessions'),
        el('thead', {}, el('tr', {}, [['Session'], ['From'], ['Signed in', 'wide'], ['Last used'], ['Expires', 'wide'], ['Revoke']]
          .map(([label, cls]) => el('th', { scope: 'col', class: cls }, label)))),
        el('tbody', {}, rows)))));
  drawn(view, 'settings');
}

async function changePassword(current, fresh) {
  try {
    const reply = (await api(`xzibit/${seg(session.account)}`, { as: 'bytes' })).bytes;
    const keys = s.openXzibit(s.xzibitFromReply(reply, session.serverKey), current);
    try {
      if (!c.equalBytes(keys.secretKey, session.keys.secretKey)) {
        throw new c.CmtpError('The server holds another key for this account than the one you signed in with. Sign in again.');
      }
      await api('xzibit', { method: 'PUT', bytes: s.sealXzibit(keys, fresh) });
    } finally {
      c.wipe(keys.secretKey);
    }
  } catch (e) {
    if (e instanceof c.CmtpError && /wrong password/.test(e.message)) {
      throw new c.CmtpError('The current password is wrong. Nothing was changed.');
    }
    throw e;
  } finally {
    c.wipe(current, fresh);
  }
}

// ---- start ----------------------------------------------------------------------------------------

async function start() {
  await sodium.ready;
  s = c.withSodium(sodium);
  $('loading').hidden = true;
  $('signin').hidden = false;
  $('signin-address').focus();
  $('signin-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const button = $('signin-button');
    const error = $('signin-error');
    const addressInput = $('signin-address');
    const passwordInput = $('signin-password');
    error.hidden = true;
    button.disabled = true;
    button.textContent = 'Signing in…';
    const password = c.utf8(passwordInput.value);
    passwordInput.value = ''; // out of the DOM at once; the bytes are wiped after use
    try {
      await signIn(addressInput.value.trim(), password);
      $('signin').hidden = true;
      $('app').hidden = false;
      $('who').textContent = session.address;
      const limit = Number(localStorage.getItem(PAGE_SIZE_KEY));
      inboxPage = { offset: 0, limit: PAGE_SIZES.includes(limit) ? limit : 50 };
      if (!location.hash) history.replaceState(null, '', '#/inbox');
      await route();
      waitForMail();
    } catch (err) {
      error.textContent = err instanceof ApiError && err.status === 404
        ? 'No such account on this server. Check the address.'
        : err instanceof ApiError && err.status === 429
          ? 'Too many sign-in attempts. Wait a minute, then try again.'
          : err.message;
      error.hidden = false;
      passwordInput.focus();
    } finally {
      c.wipe(password);
      button.disabled = false;
      button.textContent = 'Sign in';
    }
  });
  $('signout').addEventListener('click', () => signOut('You are signed out. Your key was wiped from this page.'));
  window.addEventListener('hashchange', route);
  // closing or leaving the tab: wipe the key, and end the session on the server
  window.addEventListener('pagehide', () => signOut(null));
}

start().catch((e) => {
  $('loading').textContent = `This page cannot start its encryption: ${e.message}. Use a current browser with WebAssembly.`;
});
