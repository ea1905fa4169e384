// The webmail's cryptography and wire formats (PROTOCOL.md §2, §3, §4a, §5, §6 and README
// "Users"), all in the page: the password and the secret key never leave it. Pure functions
// over Uint8Array; libsodium (the sumo build, for scrypt and the original ChaCha20-Poly1305)
// is handed in, so that the same module runs in the browser and under `node --test`.

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

export const XZIBIT_VERSION = 1;
export const XZIBIT_BYTES = 156;
export const SIGNATURE_BYTES = 64;
export const NAME_FIELD_BYTES = 255;
export const SEAL_OVERHEAD = 48;
const MAX_STRING_BYTES = 255;

/** A wire-format or crypto failure, with a sentence a person can act on. */
export class CmtpError extends Error {
  constructor(message) {
    super(message);
    this.name = 'CmtpError';
  }
}

export function utf8(text) {
  return encoder.encode(text);
}

export function concat(...parts) {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function hex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function fromHex(text) {
  if (typeof text !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(text)) {
    throw new CmtpError('not hex: ' + String(text).slice(0, 40));
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(text.substr(i * 2, 2), 16);
  }
  return out;
}

export function fromBase64url(text) {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/** Overwrites secret bytes (what is in memory can at least be cleared when no longer needed). */
export function wipe(...arrays) {
  for (const a of arrays) {
    if (a && typeof a.fill === 'function') a.fill(0);
  }
}

/** A wire string's bytes without its NUL: UTF-8, at most 255 bytes, no NUL inside. */
export function wireString(field, text) {
  const bytes = utf8(text ?? '');
  if (bytes.length > MAX_STRING_BYTES) {
    throw new CmtpError(`${field} is ${bytes.length} bytes in UTF-8; at most ${MAX_STRING_BYTES} fit`);
  }
  if (bytes.includes(0)) {
    throw new CmtpError(`${field} may not contain a NUL character`);
  }
  return bytes;
}

/**
 * An account or domain of an address, as PROTOCOL.md §7 allows it: non-empty UTF-8 without
 * control characters, "/", "\" or "..", at most 255 bytes.
 */
export function checkName(role, name) {
  if (!name) throw new CmtpError(`the ${role} is empty`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f/\\]/.test(name) || name.includes('..')) {
    throw new CmtpError(`the ${role} "${name}" may not contain control characters, "/", "\\" or ".."`);
  }
  wireString(role, name);
  return name;
}

/** "bob@example.org" → {account, domain}; the last "@" separates them, as the server's parser does. */
export function parseAddress(text) {
  const trimmed = String(text ?? '').trim();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1) {
    throw new CmtpError(`"${trimmed}" is not an address of the form account@domain`);
  }
  return {
    account: checkName('account', trimmed.slice(0, at)),
    domain: checkName('domain', trimmed.slice(at + 1)),
  };
}

/** Splits "a@x, b@y; c@z" into addresses, with a clear error naming the bad one. */
export function parseAddressList(text) {
  return String(text ?? '').split(/[,;\s]+/).filter((s) => s.length > 0).map(parseAddress);
}

// ---- reading bytes --------------------------------------------------------------------

class Reader {
  constructor(bytes, what) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.at = 0;
    this.what = what;
  }

  need(n, field) {
    if (this.at + n > this.bytes.length) {
      throw new CmtpError(`${this.what} is truncated in its ${field}`);
    }
  }

  u32(field) {
    this.need(4, field);
    const v = this.view.getUint32(this.at);
    this.at += 4;
    return v;
  }

  u64(field) {
    this.need(8, field);
    const v = this.view.getBigUint64(this.at);
    this.at += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new CmtpError(`${this.what} has an impossible ${field}`);
    return Number(v);
  }

  take(n, field) {
    this.need(n, field);
    const out = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  string(field) {
    const limit = Math.min(this.bytes.length, this.at + MAX_STRING_BYTES + 1);
    let end = this.at;
    while (end < limit && this.bytes[end] !== 0) end++;
    if (end === limit) {
      throw new CmtpError(`${this.what}: the ${field} has no end (truncated, or over 255 bytes)`);
    }
    const text = decodeUtf8(this.bytes.subarray(this.at, end), field);
    this.at = end + 1;
    return text;
  }

  rest() {
    return this.bytes.subarray(this.at);
  }
}

function decodeUtf8(bytes, field) {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    throw new CmtpError(`the ${field} is not UTF-8`);
  }
}

function u32(v) {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v);
  return b;
}

function u64(v) {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt(v));
  return b;
}

const NUL = new Uint8Array([0]);

// ---- plaintext body and attachments (PROTOCOL.md §6) ------------------------------------

/** Today as the body's Date: ISO-8601 UTC to the second. */
export function formatDate(date = new Date()) {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** {replyTo, subject, date, carbonCopies: [{account, domain}], text} → the bytes to seal. */
export function encodeBody(body) {
  const parts = [
    wireString('reply-to', body.replyTo), NUL,
    wireString('subject', body.subject), NUL,
    wireString('date', body.date), NUL,
  ];
  for (const copy of body.carbonCopies ?? []) {
    parts.push(wireString('carbon copy account', checkName('carbon copy account', copy.account)), NUL,
      wireString('carbon copy domain', checkName('carbon copy domain', copy.domain)), NUL);
  }
  parts.push(NUL, utf8(body.text ?? ''));
  return concat(...parts);
}

export function decodeBody(bytes) {
  const r = new Reader(bytes, 'the message body');
  const replyTo = r.string('reply-to');
  const subject = r.string('subject');
  const date = r.string('date');
  const carbonCopies = [];
  for (let account = r.string('carbon copy account'); account !== ''; account = r.string('carbon copy account')) {
    carbonCopies.push({ account, domain: r.string('carbon copy domain') });
  }
  const text = decodeUtf8(r.rest(), 'text');
  return { replyTo, subject, date, carbonCopies, text };
}

/** The blob of one attachment: the name in 255 NUL-padded bytes, then the file. */
export function encodeAttachment(name, data) {
  const field = new Uint8Array(NAME_FIELD_BYTES);
  field.set(wireString('attachment file name', name));
  return concat(field, data);
}

export function decodeAttachment(blob) {
  if (blob.length < NAME_FIELD_BYTES) throw new CmtpError('the attachment is shorter than its name field');
  let end = 0;
  while (end < NAME_FIELD_BYTES && blob[end] !== 0) end++;
  for (let i = end; i < NAME_FIELD_BYTES; i++) {
    if (blob[i] !== 0) throw new CmtpError('the attachment\'s name field is not padded with NUL');
  }
  return { name: decodeUtf8(blob.subarray(0, end), 'attachment file name'), data: blob.subarray(NAME_FIELD_BYTES) };
}

// ---- the message (PROTOCOL.md §6) --------------------------------------------------------

/**
 * {version, destination: {account, domain}, source: {account, domain}, log, body, attachments: [Uint8Array]}
 * → the message bytes (what is submitted; no proof-of-work field).
 */
export function encodeMessage(m) {
  const log = utf8(m.log ?? '');
  const attachments = m.attachments ?? [];
  const parts = [
    u32(m.version), u32(attachments.length), u64(log.length), u64(m.body.length),
    wireString('destination account', m.destination.account), NUL,
    wireString('destination domain', m.destination.domain), NUL,
    wireString('source account', m.source.account), NUL,
    wireString('source domain', m.source.domain), NUL,
    log, m.body,
  ];
  for (const a of attachments) parts.push(u64(a.length), a);
  return concat(...parts);
}

export function decodeMessage(bytes) {
  const r = new Reader(bytes, 'the message');
  const version = r.u32('version');
  if (version !== 0 && version !== 1) throw new CmtpError(`the message has crypto version ${version}; only 0 and 1 exist`);
  const count = r.u32('attachment count');
  const logLength = r.u64('log length');
  const bodyLength = r.u64('body length');
  const destination = { account: r.string('destination account'), domain: r.string('destination domain') };
  const source = { account: r.string('source account'), domain: r.string('source domain') };
  const log = decodeUtf8(r.take(logLength, 'log'), 'log');
  const body = r.take(bodyLength, 'body');
  const attachments = [];
  for (let i = 0; i < count; i++) attachments.push(r.take(r.u64('attachment length'), 'attachment'));
  if (r.at !== bytes.length) throw new CmtpError('the message has bytes after its last attachment');
  return { version, destination, source, log, body, attachments };
}

// ---- signed statements ---------------------------------------------------------------------

/** README "Users": "CMTP-SIGNIN-1" ‖ 0 ‖ domain ‖ 0 ‖ account ‖ 0 ‖ server key ‖ challenge ‖ u64 expiry. */
export function signInStatement(domain, account, serverKey, challenge, expiresEpochSecond) {
  if (serverKey.length !== 32) throw new CmtpError('the server key is not 32 bytes');
  if (challenge.length !== 32) throw new CmtpError('the challenge is not 32 bytes');
  return concat(utf8('CMTP-SIGNIN-1'), NUL, utf8(domain), NUL, utf8(account), NUL, serverKey, challenge,
    u64(expiresEpochSecond));
}

/** PROTOCOL.md §4a: "CMTP-KEYBIND-1" ‖ 0 ‖ user ‖ 0 ‖ domain ‖ 0 ‖ public key. */
export function keyBindStatement(account, domain, publicKey) {
  return concat(utf8('CMTP-KEYBIND-1'), NUL, utf8(account), NUL, utf8(domain), NUL, publicKey);
}

/** PROTOCOL.md §3: WORD ‖ 0 ‖ context (for MAIL: the BLAKE2b-512 of the message). */
export function statusStatement(word, context) {
  if (!/^(SUCCESS|FAILURE|KEYNOTAVAILABLE|DELIVERYFAILURE)$/.test(word)) {
    throw new CmtpError(`"${word}" is no status word`);
  }
  return concat(utf8(word), NUL, context);
}

// ---- with libsodium ---------------------------------------------------------------------

/** The functions that need libsodium, bound to one (ready) instance of it. */
export function withSodium(sodium) {
  const scrypt = (password, salt) => sodium.crypto_pwhash_scryptsalsa208sha256(32, password, salt,
    sodium.crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_INTERACTIVE,
    sodium.crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_INTERACTIVE);

  function verify(publicKey, message, signature) {
    if (signature.length !== SIGNATURE_BYTES || publicKey.length !== 32) return false;
    try {
      return sodium.crypto_sign_verify_detached(signature, message, publicKey);
    } catch {
      return false;
    }
  }

  return {
    scrypt,
    verify,

    sign(secretKey, message) {
      return sodium.crypto_sign_detached(message, secretKey);
    },

    hash512(bytes) {
      return sodium.crypto_generichash(64, bytes, null);
    },

    /**
     * Splits a LOGIN-style reply (xzibit ‖ server signature) and checks the signature
     * against the pinned server key.
     */
    xzibitFromReply(reply, serverKey) {
      if (reply.length <= SIGNATURE_BYTES) throw new CmtpError('the server sent no xzibit');
      const xzibit = reply.slice(0, reply.length - SIGNATURE_BYTES);
      if (!verify(serverKey, xzibit, reply.subarray(reply.length - SIGNATURE_BYTES))) {
        throw new CmtpError('the xzibit is not signed by the server key: refusing it');
      }
      return xzibit;
    },

    /**
     * Opens an xzibit (PROTOCOL.md §2): key = scrypt(password, salt), the original
     * ChaCha20-Poly1305 with nonce = salt[0..8]. Returns {publicKey, secretKey}; the caller
     * wipes them when done.
     */
    openXzibit(xzibit, password) {
      const r = new Reader(xzibit, 'the xzibit');
      const version = r.u32('version');
      if (version !== XZIBIT_VERSION) throw new CmtpError(`the xzibit has version ${version}; this page knows 1`);
      const salt = r.take(32, 'salt');
      const length = r.u64('length');
      const ciphertext = r.take(length, 'ciphertext');
      if (r.at !== xzibit.length || length !== 96 + 16) throw new CmtpError('the xzibit is not 156 bytes of version 1');
      const key = scrypt(password, salt);
      let plain;
      try {
        plain = sodium.crypto_aead_chacha20poly1305_decrypt(null, ciphertext, null, salt.subarray(0, 8), key);
      } catch {
        throw new CmtpError('wrong password (the xzibit does not open with it)');
      } finally {
        wipe(key);
      }
      const publicKey = plain.slice(0, 32);
      const secretKey = plain.slice(32, 96);
      wipe(plain);
      if (!equalBytes(secretKey.subarray(32), publicKey)) {
        wipe(secretKey);
        throw new CmtpError('the xzibit holds a key pair whose halves do not match');
      }
      return { publicKey, secretKey };
    },

    /** Seals the key pair with a (new) password under a fresh random salt: the 156-byte xzibit. */
    sealXzibit(keys, password, salt = sodium.randombytes_buf(32)) {
      const key = scrypt(password, salt);
      const plain = concat(keys.publicKey, keys.secretKey);
      try {
        const ciphertext = sodium.crypto_aead_chacha20poly1305_encrypt(plain, null, null, salt.subarray(0, 8), key);
        return concat(u32(XZIBIT_VERSION), salt, u64(ciphertext.length), ciphertext);
      } finally {
        wipe(key, plain);
      }
    },

    /** A sealed box (PROTOCOL.md §2) to the X25519 form of an Ed25519 public key. */
    seal(plaintext, edPublicKey) {
      const curve = sodium.crypto_sign_ed25519_pk_to_curve25519(edPublicKey);
      return sodium.crypto_box_seal(plaintext, curve);
    },

    open(sealed, keys) {
      const curvePublic = sodium.crypto_sign_ed25519_pk_to_curve25519(keys.publicKey);
      const curveSecret = sodium.crypto_sign_ed25519_sk_to_curve25519(keys.secretKey);
      try {
        return sodium.crypto_box_seal_open(sealed, curvePublic, curveSecret);
      } catch {
        throw new CmtpError('the message does not open with this account\'s key');
      } finally {
        wipe(curveSecret);
      }
    },
  };
}
