// The webmail page's crypto module (src/main/webapp/mail/crypto.js) with the very libsodium
// files the WAR serves, against the libsodium-made vectors of shared/vectors and against
// messages sealed by our Java code (WebmailFixtureTest). Run by cmtp-web's Maven build
// (phase test); by hand, after a build:
//   CMTP_VECTORS=../../shared/vectors node --test src/test/js/webmail-crypto.test.mjs   (from cmtp-web)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const moduleDir = fileURLToPath(new URL('../..', import.meta.url)); // cmtp-web/src/
const webDir = join(moduleDir, '..');
const vectors = process.env.CMTP_VECTORS ?? join(webDir, '..', '..', 'shared', 'vectors');
const vendor = process.env.WEBMAIL_VENDOR ?? join(webDir, 'target', 'webmail', 'mail', 'vendor');
const fixtures = process.env.WEBMAIL_FIXTURES ?? join(webDir, 'target', 'webmail-fixtures');

// the browser's crypto.getRandomValues, which libsodium's ES module needs, is global from Node 19 on
if (globalThis.crypto === undefined) {
  globalThis.crypto = (await import('node:crypto')).webcrypto;
}
const sodium = (await import(pathToFileURL(join(vendor, 'libsodium-wrappers.js')).href)).default;
await sodium.ready;
const c = await import(pathToFileURL(join(moduleDir, 'main', 'webapp', 'mail', 'crypto.js')).href);
const s = c.withSodium(sodium);

const bin = (name) => new Uint8Array(readFileSync(join(vectors, name)));
const hexFile = (name) => c.fromHex(readFileSync(join(vectors, name), 'utf8').trim());
const fixture = (name) => {
  try {
    return readFileSync(join(fixtures, name));
  } catch (e) {
    throw new Error(`${name} is missing in ${fixtures}: WebmailFixtureTest (Java) writes it; run the module's tests`
      + ` with Maven, not only this file (${e.message})`);
  }
};
const userKeys = () => ({ publicKey: hexFile('user_ed25519_pk.hex'), secretKey: hexFile('user_ed25519_sk.hex') });
const password = () => c.utf8(readFileSync(join(vectors, 'xzibit_password.txt'), 'utf8'));

test('scrypt of the vector password and salt is xzibit_key.hex', () => {
  assert.equal(c.hex(s.scrypt(password(), hexFile('xzibit_salt.hex'))), c.hex(hexFile('xzibit_key.hex')));
});

test('xzibit.bin opens with the password to the user key pair', () => {
  const keys = s.openXzibit(bin('xzibit.bin'), password());
  assert.equal(c.hex(keys.publicKey), c.hex(hexFile('user_ed25519_pk.hex')));
  assert.equal(c.hex(keys.secretKey), c.hex(hexFile('user_ed25519_sk.hex')));
});

test('xzibit.bin refuses a wrong password, and a damaged xzibit', () => {
  assert.throws(() => s.openXzibit(bin('xzibit.bin'), c.utf8('correct horse battery stapler')), /wrong password/);
  const damaged = bin('xzibit.bin');
  damaged[100] ^= 1;
  assert.throws(() => s.openXzibit(damaged, password()), /wrong password/);
  assert.throws(() => s.openXzibit(bin('xzibit.bin').subarray(0, 155), password()), /truncated/);
});

test('sealing the key pair with the vector salt reproduces xzibit.bin byte for byte', () => {
  const sealed = s.sealXzibit(userKeys(), password(), hexFile('xzibit_salt.hex'));
  assert.equal(c.hex(sealed), c.hex(bin('xzibit.bin')));
  const fresh = s.sealXzibit(userKeys(), c.utf8('a new password, long enough'));
  assert.equal(fresh.length, c.XZIBIT_BYTES);
  assert.equal(c.hex(s.openXzibit(fresh, c.utf8('a new password, long enough')).secretKey),
    c.hex(hexFile('user_ed25519_sk.hex')));
});

test('the LOGIN reply: xzibit and the server signature over it, checked against the server key', () => {
  const serverKey = hexFile('server_ed25519_pk.hex');
  assert.equal(c.hex(s.xzibitFromReply(bin('reply_login.bin'), serverKey)), c.hex(bin('xzibit.bin')));
  assert.throws(() => s.xzibitFromReply(bin('reply_login.bin'), hexFile('user_ed25519_pk.hex')), /not signed/);
});

test('signing message.txt with the user key reproduces message.sig.hex', () => {
  const signature = s.sign(hexFile('user_ed25519_sk.hex'), bin('message.txt'));
  assert.equal(c.hex(signature), c.hex(hexFile('message.sig.hex')));
  assert.ok(s.verify(hexFile('user_ed25519_pk.hex'), bin('message.txt'), signature));
  assert.ok(!s.verify(hexFile('server_ed25519_pk.hex'), bin('message.txt'), signature));
});

test('sealed.bin opens with the user keys to message.txt; a box sealed here opens too', () => {
  assert.equal(c.hex(s.open(bin('sealed.bin'), userKeys())), c.hex(bin('message.txt')));
  const box = s.seal(bin('message.txt'), hexFile('user_ed25519_pk.hex'));
  assert.equal(box.length, bin('message.txt').length + c.SEAL_OVERHEAD);
  assert.equal(c.hex(s.open(box, userKeys())), c.hex(bin('message.txt')));
  const serverKeys = { publicKey: hexFile('server_ed25519_pk.hex'), secretKey: hexFile('server_ed25519_sk.hex') };
  assert.throws(() => s.open(bin('sealed.bin'), serverKeys), /does not open/);
});

test('mail_stored.bin decodes and encodes back byte for byte', () => {
  const stored = bin('mail_stored.bin');
  const m = c.decodeMessage(stored);
  assert.equal(m.version, 1);
  assert.deepEqual(m.destination, { account: 'bob', domain: 'hawaii.edu' });
  assert.deepEqual(m.source, { account: 'alice', domain: 'hawaii.edu' });
  assert.equal(m.log, readFileSync(join(vectors, 'mail_log.txt'), 'utf8'));
  assert.equal(c.hex(m.body), c.hex(bin('sealed.bin')));
  assert.equal(c.hex(c.encodeMessage(m)), c.hex(stored));
  assert.equal(c.hex(bin('mail_wire.bin').subarray(5, 5 + stored.length)), c.hex(stored));
  assert.throws(() => c.decodeMessage(stored.subarray(0, stored.length - 1)), /truncated/);
});

test('the signed statuses of the vectors verify over WORD ‖ 0 ‖ context', () => {
  const serverKey = hexFile('server_ed25519_pk.hex');
  const statement = c.statusStatement('KEYNOTAVAILABLE', new Uint8Array(0));
  assert.ok(s.verify(serverKey, statement, hexFile('sig_keynotavailable.hex')));
  assert.ok(!s.verify(serverKey, c.statusStatement('SUCCESS', new Uint8Array(0)), hexFile('sig_keynotavailable.hex')));
  // a key reply (version 1) signs the 32 key bytes
  const reply = bin('reply_keyrequest_user.bin');
  assert.ok(s.verify(serverKey, reply.subarray(4, 36), reply.subarray(37, 101)));
});

test('the sign-in and key-binding statements are the bytes README "Users" and PROTOCOL.md §4a fix', () => {
  const key = new Uint8Array(32).fill(7);
  const challenge = new Uint8Array(32).fill(9);
  const signIn = c.signInStatement('example.org', 'bob', key, challenge, 0x0102030405);
  assert.equal(c.hex(signIn), c.hex(c.concat(c.utf8('CMTP-SIGNIN-1\0example.org\0bob\0'), key, challenge,
    c.fromHex('0000000102030405'))));
  assert.equal(c.hex(c.keyBindStatement('bob', 'example.org', key)),
    c.hex(c.concat(c.utf8('CMTP-KEYBIND-1\0bob\0example.org\0'), key)));
});

test('a message sealed by our Java code opens here: body, carbon copies, attachments byte for byte', () => {
  const expected = JSON.parse(fixture('java-sealed.json').toString('utf8'));
  const m = c.decodeMessage(new Uint8Array(fixture('java-sealed.msg')));
  assert.equal(m.version, 1);
  const body = c.decodeBody(s.open(m.body, userKeys()));
  assert.equal(body.subject, expected.subject);
  assert.equal(body.text, expected.text);
  assert.equal(body.replyTo, expected.replyTo);
  assert.equal(body.date, expected.date);
  assert.deepEqual(body.carbonCopies.map((a) => `${a.account}@${a.domain}`), expected.carbonCopies);
  assert.equal(m.attachments.length, expected.attachments.length);
  m.attachments.forEach((sealed, i) => {
    const file = c.decodeAttachment(s.open(sealed, userKeys()));
    assert.equal(file.name, expected.attachments[i].name);
    assert.equal(c.hex(file.data), expected.attachments[i].hex);
  });
});

test('a version-0 message of our Java code decodes without a key', () => {
  const expected = JSON.parse(fixture('java-sealed.json').toString('utf8'));
  const m = c.decodeMessage(new Uint8Array(fixture('java-plain.msg')));
  assert.equal(m.version, 0);
  assert.equal(m.source.account, '');
  assert.equal(c.decodeBody(m.body).subject, expected.subject);
  assert.equal(c.decodeAttachment(m.attachments[0]).name, 'notice.txt');
});

test('a body and an attachment built here decode to what was put in; bad fields are refused', () => {
  const body = { replyTo: 'a@x.test', subject: 'Subject', date: c.formatDate(new Date(0)),
    carbonCopies: [{ account: 'c', domain: 'y.test' }], text: 'text\nmore' };
  assert.equal(body.date, '1970-01-01T00:00:00Z');
  const encoded = c.encodeBody(body);
  assert.deepEqual(c.decodeBody(encoded), body);
  // no carbon copies: the date is followed by \0\0
  const bare = c.encodeBody({ ...body, carbonCopies: [] });
  assert.equal(c.hex(bare), c.hex(c.utf8('a@x.test\0Subject\u00001970-01-01T00:00:00Z\0\0text\nmore')));
  const attachment = c.encodeAttachment('n.txt', c.utf8('data'));
  assert.equal(attachment.length, c.NAME_FIELD_BYTES + 4);
  assert.deepEqual({ ...c.decodeAttachment(attachment), data: c.hex(c.decodeAttachment(attachment).data) },
    { name: 'n.txt', data: c.hex(c.utf8('data')) });
  assert.throws(() => c.encodeBody({ ...body, subject: 'x'.repeat(256) }), /at most 255/);
  assert.throws(() => c.parseAddress('no-at-sign'), /not an address/);
  assert.throws(() => c.parseAddress('../x@y'), /may not contain/);
  assert.deepEqual(c.parseAddressList('a@x, b@y;c@z'), [{ account: 'a', domain: 'x' }, { account: 'b', domain: 'y' },
    { account: 'c', domain: 'z' }]);
});
