// The OpenPGP commands of the real `postern` CLI (bin/postern.js, secrets on standard input):
// user add prints the recovery code once; user passwd without the current password leaves the key
// needing recovery, key recover fixes it; key export (public and --secret) imports into gpg;
// key import takes a key gpg made; encrypt-at-rest; clear one-line errors with exit codes.
import t from 'tap';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { postern } from './harness/cli.js';
import { tempDir } from './harness/appliance.js';
import { Gpg } from './harness/gpg.js';
const dir = tempDir('postern-pgpcli-');
const data = join(dir, 'data');
const gpg = new Gpg();
t.teardown(async () => { await gpg.close(); rmSync(dir, { recursive: true, force: true }); });
const cli = (args, input) => postern([...args, '--data', data], input === undefined ? {} : { input });
t.test('key lifecycle through the CLI, with gpg on the other side', async (t) => {
    t.equal((await cli(['domain', 'add', 'example.test'])).code, 0);
    const add = await cli(['user', 'add', 'alice@example.test'], 'correct horse battery\n');
    t.equal(add.code, 0, add.stderr);
    const code = /^\s+([0-9A-Z]{5}(?:-[0-9A-Z]{5}){4})$/m.exec(add.stdout)?.[1];
    t.ok(code, 'the recovery code is printed');
    const fpr = /OpenPGP key ([0-9A-F]{40})/.exec(add.stdout)?.[1];
    t.ok(fpr);
    const status = await cli(['key', 'status', 'alice@example.test']);
    t.match(status.stdout, new RegExp(`fingerprint\\t${fpr}`));
    t.match(status.stdout, /password copy\tok/);
    t.notMatch(status.stdout, new RegExp(code), 'the recovery code is never shown again');
    const pub = await cli(['key', 'export', 'alice@example.test']);
    t.equal(pub.code, 0);
    t.equal((await gpg.run(['--import'], pub.stdout)).code, 0);
    const wrong = await cli(['key', 'export', 'alice@example.test', '--secret'], 'wrong password\n');
    t.equal(wrong.code, 1);
    t.match(wrong.stderr, /^postern: the password does not open the OpenPGP key$/m);
    t.equal(wrong.stdout, '', 'nothing printed on failure');
    // Admin reset: the key needs the recovery code.
    const reset = await cli(['user', 'passwd', 'alice@example.test'], 'a new password 42\n');
    t.equal(reset.code, 0);
    t.match(reset.stdout, /needs the recovery code: postern key recover alice@example\.test/);
    const badCode = await cli(['key', 'recover', 'alice@example.test'], 'AAAAA-AAAAA-AAAAA-AAAAA-AAAAA\na new password 42\n');
    t.equal(badCode.code, 1);
    t.match(badCode.stderr, /the recovery code is wrong/);
    const rec = await cli(['key', 'recover', 'alice@example.test'], `${code.toLowerCase()}\na new password 42\n`);
    t.equal(rec.code, 0, rec.stderr);
    // Password change with the current password keeps the key usable at once.
    const change = await cli(['user', 'passwd', 'alice@example.test', '--current'], 'third password 7\na new password 42\n');
    t.equal(change.code, 0);
    t.notMatch(change.stdout, /recovery/);
    const sec = await cli(['key', 'export', 'alice@example.test', '--secret'], 'third password 7\n');
    t.equal(sec.code, 0, sec.stderr);
    const imp = await gpg.run(['--passphrase', 'third password 7', '--import'], sec.stdout);
    t.equal(imp.code, 0, imp.stderr);
    t.ok((await gpg.fingerprints(true)).includes(fpr), 'gpg imported the secret key with the password');
    // Import a key made by gpg.
    const gen = await gpg.run(['--passphrase', 'gpg passphrase', '--quick-gen-key', 'Alice <alice@example.test>', 'future-default', 'default', 'never']);
    t.equal(gen.code, 0, gen.stderr);
    const gpgFpr = (await gpg.fingerprints(true)).find((f) => f !== fpr);
    const armored = await gpg.run(['--passphrase', 'gpg passphrase', '--armor', '--export-secret-keys', gpgFpr]);
    const file = join(dir, 'gpg-key.asc');
    writeFileSync(file, armored.stdout);
    const noFile = await cli(['key', 'import', 'alice@example.test', join(dir, 'missing.asc')], 'third password 7\n');
    t.equal(noFile.code, 1);
    t.match(noFile.stderr, /cannot read/);
    const imported = await cli(['key', 'import', 'alice@example.test', file], 'third password 7\ngpg passphrase\n');
    t.equal(imported.code, 0, imported.stderr);
    t.match(imported.stdout, new RegExp(`imported key ${gpgFpr}`));
    t.match(imported.stdout, /^\s+[0-9A-Z]{5}(-[0-9A-Z]{5}){4}$/m, 'a new recovery code');
    t.match((await cli(['key', 'status', 'alice@example.test'])).stdout, new RegExp(`fingerprint\\t${gpgFpr}`));
    // Encryption at rest and prefer-encrypt.
    const on = await cli(['encrypt-at-rest', 'alice@example.test', 'on']);
    t.equal(on.code, 0, on.stderr);
    t.match(on.stdout, /headers only/);
    t.equal((await cli(['key', 'prefer-encrypt', 'alice@example.test', 'mutual'])).code, 0);
    const after = (await cli(['key', 'status', 'alice@example.test'])).stdout;
    t.match(after, /encrypt at rest\ton/);
    t.match(after, /prefer-encrypt\tmutual/);
    const unknown = await cli(['key', 'status', 'nobody@example.test']);
    t.equal(unknown.code, 1);
    t.match(unknown.stderr, /there is no account nobody@example\.test/);
});
//# sourceMappingURL=pgp-cli.test.js.map