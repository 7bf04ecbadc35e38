// `postern domain add` creates a domain's DKIM keys; `postern dns DOMAIN` prints every record to
// publish (MX, SPF, both DKIM keys, DMARC, RFC 6186/8314 SRV) in zone-file form.
import t from 'tap';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './harness/appliance.js';
import { postern } from './harness/cli.js';
import { Store } from '../appliance/store/index.js';
import { validateConfig } from '../appliance/config.js';
import { dnsRecords, zoneLine } from '../services/smtp/dns-records.js';
import { dkimKeys, publicKeyMatches } from '../services/smtp/dkim.js';
import { addDomain } from '../services/smtp/domains.js';
t.test('domain add makes Ed25519 and RSA-2048 keys; dns prints the records', async (t) => {
    const dir = tempDir();
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ hostname: 'mail.family.test', domains: ['family.test'], dataDir: join(dir, 'data'), listen: { mx: '127.0.0.1:2525', submission: '127.0.0.1:5870', submissions: '127.0.0.1:4650', imaps: '127.0.0.1:9930' }, tor: { mode: 'off' } }));
    const add = await postern(['domain', 'add', 'Cousins.test', '--config', config], { timeoutMs: 120_000 });
    t.equal(add.code, 0, add.stderr);
    t.match(add.stdout, /added cousins\.test; publish its DNS records: postern dns cousins\.test/);
    const dns = await postern(['dns', 'cousins.test', '--config', config], { timeoutMs: 120_000 });
    t.equal(dns.code, 0, dns.stderr);
    const out = dns.stdout;
    t.match(out, /^cousins\.test\.\t3600\tIN\tMX\t10 mail\.family\.test\.$/m);
    t.match(out, /^cousins\.test\.\t3600\tIN\tTXT\t"v=spf1 mx -all"$/m);
    t.match(out, /^ed\d{6}\._domainkey\.cousins\.test\.\t3600\tIN\tTXT\t"v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}="$/m);
    t.match(out, /^rsa\d{6}\._domainkey\.cousins\.test\.\t3600\tIN\tTXT\t\( "v=DKIM1; k=rsa; p=[A-Za-z0-9+/]+" "[A-Za-z0-9+/=]+" \)$/m, 'the long RSA record is split into 255-octet strings');
    t.match(out, /^_dmarc\.cousins\.test\.\t3600\tIN\tTXT\t"v=DMARC1; p=quarantine; adkim=r; aspf=r"$/m);
    t.match(out, /^_submissions\._tcp\.cousins\.test\.\t3600\tIN\tSRV\t0 1 465 mail\.family\.test\.$/m);
    t.match(out, /^_submission\._tcp\.cousins\.test\.\t3600\tIN\tSRV\t0 1 587 mail\.family\.test\.$/m);
    t.match(out, /^_imaps\._tcp\.cousins\.test\.\t3600\tIN\tSRV\t0 1 993 mail\.family\.test\.$/m);
    t.match(out, /^_imap\._tcp\.cousins\.test\.\t3600\tIN\tSRV\t0 0 0 \.$/m, 'IMAP with STARTTLS is off: "not offered" target');
    const unknown = await postern(['dns', 'nowhere.test', '--config', config], { timeoutMs: 120_000 });
    t.equal(unknown.code, 1, `exit code 1 for an unknown domain: ${unknown.stderr}`);
    t.match(unknown.stderr, /nowhere\.test is not one of this box's domains/);
    const store = Store.open(join(dir, 'data'));
    t.teardown(() => store.close());
    const keys = dkimKeys(store, 'cousins.test');
    t.same(keys.map((k) => k.algorithm), ['ed25519-sha256', 'rsa-sha256'], 'an Ed25519 and an RSA key');
    for (const k of keys)
        t.ok(publicKeyMatches(k), `${k.selector} matches its published key`);
    t.equal(Buffer.from(keys[1].publicKey, 'base64').length, 294, 'RSA-2048 SubjectPublicKeyInfo');
});
t.test('dnsRecords for the panel: one record per purpose, keys made once', async (t) => {
    const dir = tempDir();
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
    const store = Store.open(dir);
    t.teardown(() => store.close());
    const config = validateConfig({ hostname: 'box.example.test', domains: ['example.test'], dataDir: dir, tor: { mode: 'off' } }, { baseDir: dir, torOnPath: false });
    await addDomain(store, 'example.test');
    const first = dkimKeys(store, 'example.test');
    await t.rejects(addDomain(store, 'example.test'), { code: 'exists' });
    t.same(dkimKeys(store, 'example.test'), first, 'the keys are not replaced');
    const recs = dnsRecords(store, config, 'example.test');
    t.same(recs.map((r) => r.type), ['MX', 'TXT', 'TXT', 'TXT', 'TXT', 'SRV', 'SRV', 'SRV', 'SRV']);
    t.ok(recs.every((r) => r.purpose.length > 10 && r.name.endsWith('.')));
    t.match(zoneLine(recs[0]), /^example\.test\.\t3600\tIN\tMX\t10 box\.example\.test\.$/);
});
//# sourceMappingURL=smtp-dns.test.js.map