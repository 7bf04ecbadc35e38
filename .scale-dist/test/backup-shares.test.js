// The recovery code split among trusted people (issue 16, seed 002's "secret-sharing with trusted
// contacts"): `postern backup key split 2 3` prints three shares; any two restore a new box, one
// is not enough, and a wrong share does not open the backup.
import t from 'tap';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Store } from '../appliance/store/index.js';
import { combineShares, splitRecoveryCode } from '../appliance/backup/index.js';
import { tempDir } from './harness/appliance.js';
import { cli, cliConfig, message, recoveryCodeOf } from './harness/backup-box.js';
t.test('shares: any k of n give the code back, fewer do not', async (t) => {
    const code = 'ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345-6789';
    const shares = await splitRecoveryCode(code, 3, 5);
    t.equal(shares.length, 5);
    t.equal(new Set(shares).size, 5);
    t.equal(await combineShares([shares[0], shares[2], shares[4]]), code);
    t.equal(await combineShares([shares[4], shares[1], shares[3]]), code);
    t.not(await combineShares([shares[0], shares[1]]), code, 'two of a 3-of-5 split give something else');
    await t.rejects(combineShares([shares[0]]), /at least two shares/);
});
t.test('postern backup key split, then restore --shares with two of three', async (t) => {
    const work = tempDir('postern-backup-shares-');
    t.teardown(() => rmSync(work, { recursive: true, force: true }));
    const aDir = join(work, 'a');
    const store = Store.open(aDir);
    store.domains.ensure('example.test');
    const acc = await store.accounts.create('alice@example.test', 'correct horse battery');
    for (let i = 0; i < 3; i++)
        store.deliver([{ accountId: acc.id }], message(i, 'alice@example.test'));
    store.close();
    const cfgA = cliConfig(aDir, join(work, 'a.json'));
    const usb = join(work, 'usb');
    const add = await cli(cfgA, ['backup', 'target', 'add', 'usb', 'folder', usb]);
    t.equal(add.code, 0, add.stderr);
    const code = recoveryCodeOf(add.stdout);
    t.equal((await cli(cfgA, ['backup', 'run', 'usb'])).code, 0);
    const wrongCode = await cli(cfgA, ['backup', 'key', 'split', '2', '3'], 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH\n');
    t.equal(wrongCode.code, 1, 'a code that does not open this box is not split');
    const split = await cli(cfgA, ['backup', 'key', 'split', '2', '3'], code + '\n');
    t.equal(split.code, 0, split.stderr);
    const shares = [...split.stdout.matchAll(/^share (\d) of 3: (\S+)$/gm)].map((m) => m[2]);
    t.equal(shares.length, 3, split.stdout);
    const one = await cli(cliConfig(join(work, 'c1'), join(work, 'c1.json')), ['restore', '--from-folder', usb, '--shares'], `${shares[0]}\n\n`);
    t.equal(one.code, 1);
    t.match(one.stderr, /at least two shares/);
    const forged = shares[1].replace(/^(.)/, (c) => (c === 'A' ? 'B' : 'A'));
    const bad = await cli(cliConfig(join(work, 'c2'), join(work, 'c2.json')), ['restore', '--from-folder', usb, '--shares'], `${shares[0]}\n${forged}\n\n`);
    t.equal(bad.code, 1);
    t.match(bad.stderr, /neither the recovery code nor the passphrase opens/);
    const cDir = join(work, 'c');
    const ok = await cli(cliConfig(cDir, join(work, 'c.json')), ['restore', '--from-folder', usb, '--shares'], `share 3 of 3: ${shares[2]}\n${shares[0]}\n\n`);
    t.equal(ok.code, 0, ok.stderr);
    t.match(ok.stdout, /1 account\(s\), 3 message\(s\)/);
    // the admin passphrase as a second way in: wrapped on the box, on the target after the next run
    const pass = await cli(cfgA, ['backup', 'key', 'passphrase'], `${code}\nthe household's long passphrase\n`);
    t.equal(pass.code, 0, pass.stderr);
    t.equal((await cli(cfgA, ['backup', 'run', 'usb'])).code, 0);
    const byPass = await cli(cliConfig(join(work, 'p'), join(work, 'p.json')), ['restore', '--from-folder', usb], "the household's long passphrase\n");
    t.equal(byPass.code, 0, byPass.stderr);
    t.match(byPass.stdout, /restored snapshot 2 /);
});
//# sourceMappingURL=backup-shares.test.js.map