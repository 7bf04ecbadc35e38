// The outbound queue: what is waiting, why (the last answer), retry now or delete. Deleting frees
// the message file when nothing else refers to it (store.reclaim).
import type { Hono } from 'hono';
import { log } from '../../appliance/log.js';
import { StoreError } from '../../appliance/store/index.js';
import { storeOf, type PanelContext, type PanelEnv } from '../context.js';
import { done, page, PostForm } from '../page.js';
import { ErrorNote } from '../views/layout.js';

function when(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

function queuePage(c: PanelContext, error?: string): Response {
  const entries = storeOf(c).queue.list();
  const csrf = c.var.session?.csrf;
  return page(c, 'Outgoing mail', (
    <>
      <ErrorNote message={error} />
      <section id="queue">
        {entries.length === 0 ? <p>No mail is waiting to be sent.</p> : (
          <table>
            <caption>Messages waiting to be delivered, oldest first</caption>
            <thead><tr><th scope="col">From</th><th scope="col">To</th><th scope="col">Queued</th><th scope="col">Attempts and last answer</th><th scope="col">Next try</th><th scope="col">Actions</th></tr></thead>
            <tbody>
              {entries.map((e) => (
                <tr id={`q-${e.id}`}>
                  <td>{e.mailFrom || '(bounce)'}</td>
                  <td>{e.recipients.filter((r) => r.status === 'pending').map((r) => r.address).join(', ')}</td>
                  <td>{when(e.createdAt)}</td>
                  <td>{e.attempts} {e.lastReply ? <code>{e.lastReply}</code> : null}</td>
                  <td>{e.nextAttemptAt <= Date.now() ? 'now' : when(e.nextAttemptAt)}</td>
                  <td class="actions">
                    <PostForm action={`/queue/${e.id}/retry`} csrf={csrf} label={`Retry message ${e.id}`}>
                      <button type="submit" class="secondary">Retry now</button>
                    </PostForm>
                    <PostForm action={`/queue/${e.id}/remove`} csrf={csrf} label={`Delete message ${e.id}`}>
                      <button type="submit" class="danger">Delete</button>
                    </PostForm>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  ), { status: error ? 400 : 200 });
}

function entryId(c: PanelContext): number {
  const id = Number(c.req.param('id'));
  return Number.isSafeInteger(id) && id > 0 ? id : 0;
}

export function queueRoutes(app: Hono<PanelEnv>): void {
  app.get('/queue', (c) => queuePage(c));

  app.post('/queue/:id/retry', (c) => {
    const id = entryId(c);
    try {
      storeOf(c).queue.retry(id);
    } catch (e) {
      if (e instanceof StoreError) return queuePage(c, 'That message is no longer waiting (it was delivered or deleted).');
      throw e;
    }
    log.info('panel.queue-retry', { id });
    return done(c, '/queue', 'The message will be tried again now.');
  });

  app.post('/queue/:id/remove', (c) => {
    const id = entryId(c);
    const store = storeOf(c);
    try {
      store.queue.remove(id);
    } catch (e) {
      if (e instanceof StoreError) return queuePage(c, 'That message is no longer waiting (it was delivered or deleted).');
      throw e;
    }
    store.reclaim();
    log.info('panel.queue-remove', { id });
    return done(c, '/queue', 'The message is deleted and will not be sent.');
  });
}
