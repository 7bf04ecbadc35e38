// Postern's IMAP server with Python's imaplib: STARTTLS verified against the box's CA, LOGIN
// refused before TLS, then the usual session.
import t from 'tap';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startTestAppliance } from './harness/appliance.js';
const SCRIPT = String.raw `
import imaplib, json, ssl, sys
port, cafile = int(sys.argv[1]), sys.argv[2]
out = {}
c = imaplib.IMAP4('localhost', port)
out['caps_before'] = sorted(c.capabilities)
try:
    c.login('alice@example.test', 'correct horse')
    out['login_before_tls'] = 'accepted'
except imaplib.IMAP4.error as e:
    out['login_before_tls'] = str(e)
ctx = ssl.create_default_context(cafile=cafile)
c.starttls(ssl_context=ctx)
out['tls_version'] = c.sock.version()
out['caps_after'] = sorted(c.capabilities)
typ, data = c.login('alice@example.test', 'correct horse')
out['login'] = typ
typ, data = c.list()
out['list'] = sorted(d.decode() for d in data)
typ, data = c.select('INBOX')
out['exists'] = int(data[0])
typ, data = c.search(None, 'SUBJECT', '"message 2"')
out['search'] = data[0].decode()
typ, data = c.search('UTF-8', 'BODY', 'number')
out['search_body'] = data[0].decode()
typ, data = c.fetch('2', '(UID RFC822.SIZE BODY.PEEK[HEADER.FIELDS (SUBJECT)])')
out['fetch'] = [x.decode() if isinstance(x, bytes) else [y.decode() for y in x] for x in data]
typ, data = c.store('1', '+FLAGS', '(\\Flagged)')
out['store'] = [d.decode() for d in data]
msg = b'From: py@example.org\r\nSubject: from python\r\n\r\nappended by imaplib\r\n'
typ, data = c.append('INBOX', '(\\Seen)', None, msg)
out['append'] = data[0].decode()
typ, data = c.copy('1:2', 'Archive')
out['copy'] = data[0].decode() if data[0] else typ
typ, data = c.store('3', '+FLAGS', '(\\Deleted)')
typ, data = c.expunge()
out['expunge'] = [d.decode() for d in data if d]
typ, data = c.fetch('1:*', '(UID FLAGS)')
out['after'] = [d.decode() for d in data]
typ, data = c.status('Archive', '(MESSAGES UIDNEXT)')
out['status'] = data[0].decode()
c.logout()
print(json.dumps(out))
`;
t.test('imaplib: STARTTLS, LOGIN refused before TLS, SELECT/SEARCH/FETCH/STORE/APPEND/COPY/EXPUNGE', async (t) => {
    const app = await startTestAppliance({ listeners: ['imap'] });
    t.teardown(() => app.stop());
    const acc = await app.store.accounts.create('alice@example.test', 'correct horse');
    for (let i = 1; i <= 3; i++) {
        app.store.deliver([{ accountId: acc.id }], Buffer.from(`From: bob@example.org\r\nSubject: message ${i}\r\n\r\nHello number ${i}\r\n`));
    }
    const py = spawn('python3', ['-c', SCRIPT, String(app.port('imap')), join(app.dataDir, 'tls', 'ca.crt')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    py.stdout.on('data', (d) => { stdout += d; });
    py.stderr.on('data', (d) => { stderr += d; });
    const code = await new Promise((resolve) => py.on('close', resolve));
    t.equal(code, 0, stderr);
    const out = JSON.parse(stdout);
    t.ok(out.caps_before.includes('LOGINDISABLED') && out.caps_before.includes('STARTTLS'));
    t.match(out.login_before_tls, /PRIVACYREQUIRED/, 'LOGIN refused in clear');
    t.match(out.tls_version, /^TLSv1\.[23]$/);
    t.ok(out.caps_after.includes('AUTH=PLAIN'));
    t.notOk(out.caps_after.includes('STARTTLS'));
    t.equal(out.login, 'OK');
    t.ok(out.list.includes('(\\HasNoChildren \\Trash) "/" "Trash"'));
    t.equal(out.exists, 3);
    t.equal(out.search, '2');
    t.equal(out.search_body, '1 2 3');
    t.match(JSON.stringify(out.fetch), /UID 2 RFC822\.SIZE [0-9]+ BODY\[HEADER\.FIELDS \(SUBJECT\)\] \{[0-9]+\}.*Subject: message 2/);
    // imaplib is an IMAP4rev1 client: the messages it selected first are \Recent in its session.
    t.same(out.store, ['1 (FLAGS (\\Flagged \\Recent))']);
    t.match(out.append, /^\[APPENDUID [0-9]+ 4\] /);
    t.match(out.copy, /^\[COPYUID [0-9]+ 1:2 1:2\] /);
    t.same(out.expunge, ['3']);
    t.same(out.after, ['1 (UID 1 FLAGS (\\Flagged \\Recent))', '2 (UID 2 FLAGS (\\Recent))', '3 (UID 4 FLAGS (\\Seen \\Recent))']);
    t.equal(out.status, '"Archive" (MESSAGES 2 UIDNEXT 3)');
    t.equal(app.store.check().problems.length, 0);
});
//# sourceMappingURL=imap-imaplib.test.js.map