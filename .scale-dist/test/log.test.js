import t from 'tap';
import { log, redact, redactAddress, recentLogLines, setLogSink, setQuiet } from '../appliance/log.js';
t.test('redaction keeps identifying values out of the log line', async (t) => {
    const lines = [];
    setQuiet(false);
    setLogSink((l) => lines.push(l));
    t.teardown(() => { setQuiet(true); setLogSink((l) => process.stdout.write(l + '\n')); });
    log.info('smtp.accepted', { client: redact('ip', '203.0.113.7'), from: redactAddress('Alice@Example.org') });
    t.equal(lines.length, 1);
    const line = lines[0];
    t.notMatch(line, '203.0.113.7');
    t.notMatch(line, /alice/i);
    const parsed = JSON.parse(line);
    t.equal(parsed.event, 'smtp.accepted');
    t.match(parsed.client, /^ip#[0-9a-f]{8}$/);
    t.equal(parsed.from, redactAddress('alice@example.org'), 'the same address gives the same hash (case-insensitive)');
    t.not(redact('ip', '203.0.113.7'), redact('ip', '203.0.113.8'));
    t.equal(recentLogLines().at(-1)?.event, 'smtp.accepted', 'the ring buffer holds the line for the panel');
});
t.test('debug lines only with --verbose', async (t) => {
    const lines = [];
    setQuiet(false);
    setLogSink((l) => lines.push(l));
    t.teardown(() => { setQuiet(true); setLogSink((l) => process.stdout.write(l + '\n')); });
    log.debug('imap.detail');
    t.equal(lines.length, 0);
});
//# sourceMappingURL=log.test.js.map