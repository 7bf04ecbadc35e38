// The panel's junk page over real HTTPS: a member sees what the filter learned and caught and the
// newest messages in Junk; "Not junk" moves one to the INBOX and the filter learns it as wanted;
// the threshold and the risky-attachment setting are saved, a bad threshold is refused with a
// sentence, a form without the CSRF token is refused.
import t from 'tap';
import { startTestAppliance } from './harness/appliance.js';
import { PanelHttp } from './harness/panel-http.js';
import type { JunkService } from '../appliance/junk/service.js';

const PW = 'member-password-1234';

t.test('junk page: counts, not junk, settings', async (t) => {
  const app = await startTestAppliance({ listeners: ['panel'] });
  t.teardown(() => app.stop());
  await app.store.accounts.create('admin@example.test', 'admin-password-1234', { role: 'admin' });
  const ben = await app.store.accounts.create('ben@example.test', PW);
  const junk = app.store.mailboxes.get(ben.id, 'Junk')!;
  const inbox = app.store.mailboxes.get(ben.id, 'INBOX')!;
  const [d] = app.store.deliver([{ accountId: ben.id, mailboxId: junk.id, flags: ['$Junk'] }], Buffer.from('X-Spam-Status: Yes, score=0.991 required=0.95 reason=content\r\nX-Spam-Score: 0.991\r\nFrom: Grandma <grandma@family.example>\r\nSubject: Recipe for the cake\r\n\r\nThree eggs and some flour.\r\n'));
  const c = new PanelHttp(app.port('panel'), app.appliance.tls.ca);
  t.equal((await c.signIn(ben.address, PW)).status, 303);
  const page = await c.get('/junk');
  t.equal(page.status, 200);
  t.match(page.body, /<td id="junk-spam">0<\/td>/);
  t.match(page.body, /Recipe for the cake/);
  t.match(page.body, /0\.991/);
  t.match(page.body, /href="\/junk"/, 'linked from the navigation');

  t.equal((await c.post('/junk/not-junk', { uid: String(d!.uid) }, { csrf: null })).status, 403, 'CSRF token required');
  const moved = await c.post('/junk/not-junk', { uid: String(d!.uid) });
  t.equal(moved.status, 303);
  t.equal(app.store.messages.list(junk.id).length, 0, 'gone from Junk');
  t.equal(app.store.messages.list(inbox.id).length, 1, 'in the INBOX');
  // the move queued the training before the panel answered: wait for the queue, not for a clock
  await app.appliance.service<JunkService>('junk')!.filter.idle();
  t.equal(app.store.junk.state(ben.id).hamTrained, 1, 'the filter learned it as wanted');
  t.ok(app.store.junk.sender(ben.id, 'grandma@family.example')!.kept > 0, 'grandma is now a correspondent');
  t.match((await c.get('/junk')).body, /<td id="junk-ham">1<\/td>/);
  const again = await c.post('/junk/not-junk', { uid: String(d!.uid) });
  t.equal(again.status, 422);
  t.match(again.body, /That message is no longer in Junk\./);

  const saved = await c.post('/junk/settings', { threshold: '0.99' });
  t.equal(saved.status, 303);
  t.equal(app.store.junk.state(ben.id).threshold, 0.99);
  t.equal(app.store.junk.state(ben.id).riskyToJunk, false, 'the unchecked box turns risky-to-Junk off');
  await c.post('/junk/settings', { threshold: '0.95', risky: 'on' });
  t.equal(app.store.junk.state(ben.id).riskyToJunk, true);
  const bad = await c.post('/junk/settings', { threshold: '2' });
  t.equal(bad.status, 422);
  t.match(bad.body, /The threshold must be a number from 0\.5 to 0\.999\./);
  t.equal(app.store.junk.state(ben.id).threshold, 0.95);
});
