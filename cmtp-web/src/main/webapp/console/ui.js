// Small DOM helpers: every text goes in as a text node (never as HTML), so nothing the
// server or a sender wrote can run as script in the console.

/** An element: h('button', {type: 'button', onclick: f}, 'Text', child, …). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith('on')) {
      element.addEventListener(name.slice(2), value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, value);
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the contents of element. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** An error box for a failed call: the problem's detail, and which field it is about. */
export function errorBox(error) {
  return h('div', { class: 'error', role: 'alert' },
    error.field ? h('strong', {}, `${error.field}: `) : null,
    error.message || String(error));
}

/** A message for a list with nothing in it. */
export function empty(text) {
  return h('p', { class: 'empty' }, text);
}

let noticeTimer;
/** A short confirmation of what was just done, read out by screen readers. */
export function notice(text) {
  const box = document.getElementById('notice');
  box.textContent = text;
  box.hidden = false;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { box.hidden = true; }, 6000);
}

/**
 * Asks before something that cannot be undone, in a modal dialog (Escape or Cancel says no);
 * resolves to true if confirmed.
 */
export function confirmAction(question, confirmLabel) {
  return new Promise((resolve) => {
    const cancel = h('button', { type: 'button' }, 'Cancel');
    const confirm = h('button', { type: 'button', class: 'danger' }, confirmLabel);
    const dialog = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-question' },
      h('p', { id: 'confirm-question' }, question),
      h('div', { class: 'actions' }, cancel, confirm));
    const done = (answer) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    cancel.addEventListener('click', () => done(false));
    confirm.addEventListener('click', () => done(true));
    dialog.addEventListener('cancel', (event) => { event.preventDefault(); done(false); });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}

/** A table; columns: [{label, cell: row => content, class}]. */
export function table(caption, columns, rows) {
  return h('table', {},
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.class }, c.label)))),
    h('tbody', {}, rows.map((row) => h('tr', {}, columns.map((c) => h('td', { class: c.class },
      // action buttons wrap below each other rather than push the table wider than the page
      c.class === 'actions' ? h('div', { class: 'action-buttons' }, c.cell(row)) : c.cell(row)))))));
}

/** A time as the reader's local date and time, the exact instant in the tooltip. */
export function time(iso) {
  if (!iso) {
    return '—';
  }
  const date = new Date(iso);
  const clock = { hour: '2-digit', minute: '2-digit', second: '2-digit' };
  // today's times without the date: shorter tables, and the date is in the tooltip
  const text = date.toDateString() === new Date().toDateString()
    ? `today ${date.toLocaleTimeString(undefined, clock)}`
    : date.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', ...clock });
  return h('time', { datetime: iso, title: date.toString() }, text);
}

export function bytes(count) {
  if (count < 1024) {
    return `${count} B`;
  }
  const units = ['KiB', 'MiB', 'GiB'];
  let value = count;
  let unit = -1;
  do {
    value /= 1024;
    unit++;
  } while (value >= 1024 && unit < units.length - 1);
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** A page heading that takes the focus, so keyboard and screen-reader users land on the new view. */
export function heading(text) {
  return h('h1', { tabindex: '-1', class: 'view-title' }, text);
}

/** Runs an action of a button: disabled while it runs, errors shown in errorTarget. */
export async function busy(button, errorTarget, action) {
  button.disabled = true;
  fill(errorTarget);
  try {
    await action();
  } catch (error) {
    fill(errorTarget, errorBox(error));
  } finally {
    if (button.isConnected) {
      button.disabled = false;
    }
  }
}
