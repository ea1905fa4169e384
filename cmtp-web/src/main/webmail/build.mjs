// Brings libsodium for the webmail page into the WAR (run by cmtp-web's Maven build, phase
// generate-resources):   node build.mjs TARGET_DIR
//
// 1. `npm ci` in TARGET_DIR/npm from package.json and package-lock.json beside this file:
//    exactly the pinned versions, checked against the lock's integrity hashes, from the npm
//    registry or npm's cache (no install scripts run).
// 2. Copies only the two ES modules the page loads into TARGET_DIR/webmail/mail/vendor/,
//    with their licence. The wrapper imports its core by the bare name "libsodium-sumo",
//    which a browser cannot resolve without an import map (an inline script, which the
//    page's Content-Security-Policy forbids), so that one import is rewritten to the file
//    beside it; the build fails if the import is not found exactly once. Both are saved as
//    .js: servers know that type (not always .mjs), and a module script needs it.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const target = process.argv[2];
if (!target) {
  console.error('usage: node build.mjs TARGET_DIR');
  process.exit(2);
}
const npmDir = join(target, 'npm');
const vendor = join(target, 'webmail', 'mail', 'vendor');
mkdirSync(npmDir, { recursive: true });
rmSync(vendor, { recursive: true, force: true }); // nothing left over from an earlier build
mkdirSync(vendor, { recursive: true });
for (const file of ['package.json', 'package-lock.json']) {
  copyFileSync(join(here, file), join(npmDir, file));
}
execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm',
  ['ci', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
  { cwd: npmDir, stdio: 'inherit' });

const lock = JSON.parse(readFileSync(join(here, 'package-lock.json'), 'utf8'));
const modules = join(npmDir, 'node_modules');
for (const name of ['libsodium-wrappers-sumo', 'libsodium-sumo']) {
  const installed = JSON.parse(readFileSync(join(modules, name, 'package.json'), 'utf8')).version;
  const locked = lock.packages[`node_modules/${name}`].version;
  if (installed !== locked) {
    throw new Error(`${name} ${installed} is installed, the lock pins ${locked}`);
  }
}

const wrapper = readFileSync(join(modules, 'libsodium-wrappers-sumo/dist/modules-sumo-esm/libsodium-wrappers.mjs'), 'utf8');
const bare = /from\s*"libsodium-sumo"/g;
const found = wrapper.match(bare) || [];
if (found.length !== 1) {
  throw new Error(`expected one import of "libsodium-sumo" in libsodium-wrappers.mjs, found ${found.length}`);
}
writeFileSync(join(vendor, 'libsodium-wrappers.js'), wrapper.replace(bare, 'from"./libsodium-sumo.js"'));
copyFileSync(join(modules, 'libsodium-sumo/dist/modules-sumo-esm/libsodium-sumo.mjs'), join(vendor, 'libsodium-sumo.js'));
copyFileSync(join(modules, 'libsodium-wrappers-sumo/LICENSE'), join(vendor, 'LICENSE-libsodium.txt'));
console.log(`webmail: libsodium-wrappers-sumo ${lock.packages['node_modules/libsodium-wrappers-sumo'].version} in ${vendor}`);
