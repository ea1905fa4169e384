// The webmail's DOM helpers. Everything a message, a sender or the server wrote goes into
// the page as a text node or an attribute value, never as HTML: a message cannot inject
// markup or script (and the Content-Security-Policy forbids inline script besides).

/** el('button', {type: 'button', onclick: f}, 'text', child, …) */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value == null || value === false) continue;
    if (typeof value === 'function') node.addEventListener(key.replace(/^on/, ''), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  put(node, children);
  return node;
}

function put(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    node.append(typeof child === 'object' && 'nodeType' in child ? child : document.createTextNode(String(child)));
  }
}

/** Replaces what node holds. */
export function show(node, ...children) {
  node.replaceChildren();
  put(node, children);
  return node;
}

// Characters that reorder or hide text (bidirectional overrides, isolates and marks, zero
// width): a subject or file name could use them to look like something it is not
// ("invoice\u202Efdp.exe" shows as "invoiceexe.pdf"). They are shown as visible codes.
// eslint-disable-next-line no-misleading-character-class
const HIDDEN = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

/** Text with invisible or reordering characters made visible as ⟦U+202E⟧. */
export function visible(text) {
  return String(text ?? '').replace(HIDDEN, (ch) => `⟦U+${ch.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}⟧`);
}

/** A byte count for people. */
export function size(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KiB`;
  return `${(n / 1048576).toFixed(1)} MiB`;
}

/** A date for people; the exact instant as the tooltip. Text as sent when it is no date. */
export function when(iso) {
  const date = new Date(iso);
  if (!iso || Number.isNaN(date.getTime())) return el('span', {}, visible(iso || '—'));
  const sameDay = date.toDateString() === new Date().toDateString();
  const text = sameDay
    ? date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
  return el('time', { datetime: iso, title: date.toString() }, text);
}

/**
 * A file name that is safe to save under: the last path component, no control or
 * reordering characters, no colon, no leading dots or spaces (as the CLI's --save does).
 */
export function safeFileName(name) {
  const last = String(name).split(/[/\\]/).pop();
  // eslint-disable-next-line no-control-regex
  const cleaned = last.replace(HIDDEN, '_').replace(/[\u0000-\u001f\u007f-\u009f:]/g, '_').replace(/^[.\s]+/, '').trim();
  return cleaned.slice(0, 200) || 'attachment';
}
