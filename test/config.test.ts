import t from 'tap';
import { validateConfig, ConfigError, DEFAULT_LISTEN } from '../appliance/config.js';

const opts = { baseDir: '/srv', torOnPath: false };

t.test('the embedded default', async (t) => {
  const c = validateConfig({}, opts);
  t.equal(c.hostname, 'postern.localhost');
  t.same(c.domains, ['home.arpa']);
  t.equal(c.dataDir, '/srv/var');
  t.same(c.listen.mx, { host: '127.0.0.1', port: 2525 });
  t.same(c.listen.submission, { host: '127.0.0.1', port: 5870 });
  t.same(c.listen.submissions, { host: '127.0.0.1', port: 4650 });
  t.same(c.listen.imap, { host: '127.0.0.1', port: 1430 });
  t.same(c.listen.imaps, { host: '127.0.0.1', port: 9930 });
  t.same(c.listen.panel, { host: '127.0.0.1', port: 8080 });
  t.same(c.listen.mxOnion, { host: '127.0.0.1', port: 2526 });
  t.same(c.listen.backupOnion, { host: '127.0.0.1', port: 7425 });
  t.equal(Object.keys(DEFAULT_LISTEN).length, 9);
  t.equal(c.tor.mode, 'off');
  t.equal(validateConfig({}, { ...opts, torOnPath: true }).tor.mode, 'launch');
});

t.test('a missing listener key disables that listener', async (t) => {
  const c = validateConfig({ listen: { mx: '0.0.0.0:25', imaps: '[::1]:993' } }, opts);
  t.same(c.listen.mx, { host: '0.0.0.0', port: 25 });
  t.same(c.listen.imaps, { host: '::1', port: 993 });
  t.equal(c.listen.imap, undefined);
  t.equal(c.listen.panel, undefined);
});

t.test('errors name the key', async (t) => {
  const cases: Array<[unknown, string]> = [
    [{ listen: { mx: 'nope' } }, 'listen.mx'],
    [{ listen: { smtp: '1.2.3.4:25' } }, 'listen.smtp'],
    [{ listen: { imap: '127.0.0.1:70000' } }, 'listen.imap'],
    [{ listen: { mxOnion: '0.0.0.0:2526' } }, 'listen.mxOnion'],
    [{ hostname: 'bad host' }, 'hostname'],
    [{ domains: [] }, 'domains'],
    [{ domains: ['ok.example', 'not a domain'] }, 'domains[1]'],
    [{ colour: 'blue' }, 'colour'],
    [{ dataDir: 5 }, 'dataDir'],
    [{ smtp: { maxMessageSize: -1 } }, 'smtp.maxMessageSize'],
    [{ relay: { host: 'smtp.example', tls: 'none' } }, 'relay.tls'],
    [{ tor: { mode: 'sometimes' } }, 'tor.mode'],
    [{ delivery: { tlsPolicy: { 'example.org': { require: true, fingerprints: ['zz'] } } } }, 'delivery.tlsPolicy.example.org.fingerprints'],
    ['[]', '(root)'],
  ];
  for (const [raw, key] of cases) {
    let caught: unknown;
    try { validateConfig(raw, opts); } catch (e) { caught = e; }
    t.ok(caught instanceof ConfigError, `${JSON.stringify(raw)} is rejected`);
    t.equal((caught as ConfigError).key, key, `the error names ${key}`);
    t.match((caught as Error).message, key);
  }
});
