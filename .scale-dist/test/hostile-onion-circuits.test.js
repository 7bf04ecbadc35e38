// Issue #14 finding 5: onion clients are told apart by tor circuit, not by the 127.0.0.1 they all
// come from. The IMAP onion listener (`listen.imapOnion`, loopback) reads the PROXY header tor's
// `HiddenServiceExportCircuitID haproxy` writes before each connection (sent here by the test
// client exactly as tor writes it); the header's port picks implicit TLS (993) or plain with
// STARTTLS (143). Attack: 30 parallel wrong logins from one circuit; that circuit is then refused
// even with the right password, while the household on another circuit signs in at once. A
// connection without tor's header gets nothing.
import t from 'tap';
import { startTestAppliance } from './harness/appliance.js';
import { LineDialogue, torCircuitHeader } from './harness/line-dialogue.js';
import { imapLimits } from '../services/imap/limits.js';
import { parseTorCircuitHeader } from '../appliance/tor-circuit.js';
const PASSWORD = 'correct horse battery';
let app;
t.before(async () => {
    imapLimits.authFailureDelayMs = 10;
    app = await startTestAppliance({ listeners: ['imaps', 'imapOnion'] });
    await app.store.accounts.create('alice@example.test', PASSWORD);
});
t.teardown(async () => { await app?.stop(); });
async function onionLogin(circuit, pass) {
    const d = await LineDialogue.open(app.port('imapOnion'), { preamble: torCircuitHeader(circuit, 993), ca: app.appliance.tls.ca });
    try {
        await d.until(/^\* OK/);
        d.send(`a1 LOGIN "alice@example.test" "${pass}"`);
        return await d.line(/^a1 /, 60_000);
    }
    finally {
        d.close();
    }
}
t.test('tor\'s header', async (t) => {
    t.same(parseTorCircuitHeader('PROXY TCP6 fc00:dead:beef:4dad::1:2 ::1 2 993\r\n'), { circuitId: 0x10002, virtualPort: 993, client: 'tor-circuit:65538' });
    t.equal(parseTorCircuitHeader('PROXY TCP4 10.0.0.1 127.0.0.1 5 993\r\n'), undefined, 'only tor\'s own form');
    t.equal(parseTorCircuitHeader('PROXY TCP6 fc00:dead:beef:4dad::1:2 ::1 2 993'), undefined);
});
t.test('30 parallel wrong logins on one circuit do not lock out another circuit', async (t) => {
    const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => onionLogin(7, `guess-${i}`)));
    t.equal(answers.filter((a) => /^a1 NO /.test(a)).length, 30, 'all refused');
    t.match(await onionLogin(7, PASSWORD), /^a1 NO \[UNAVAILABLE\]/, 'the guessing circuit is refused, even with the right password');
    t.match(await onionLogin(8, PASSWORD), /^a1 OK /, 'the household on another circuit signs in');
    t.match(await onionLogin(9, PASSWORD), /^a1 OK /);
});
t.test('port 143 over the onion: plain with STARTTLS, no login before it', async (t) => {
    const d = await LineDialogue.open(app.port('imapOnion'), { preamble: torCircuitHeader(11, 143) });
    t.match(await d.line(/^\* OK/), /LOGINDISABLED|STARTTLS/);
    d.send('a1 LOGIN "alice@example.test" "x"');
    t.match(await d.line(/^a1 /), /^a1 NO \[PRIVACYREQUIRED\]/);
    d.close();
});
t.test('a connection without tor\'s header gets nothing', async (t) => {
    const d = await LineDialogue.open(app.port('imapOnion'));
    d.send('a1 CAPABILITY');
    await t.rejects(d.until(/^\*/, 3000), 'closed without a greeting');
    d.close();
});
//# sourceMappingURL=hostile-onion-circuits.test.js.map