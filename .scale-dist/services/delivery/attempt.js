// One delivery attempt of one queue entry over a route: try the route's hops in order until one
// gives a session, run the transaction there, and turn the answers into per-recipient results
// (2xx delivered, 5xx failed, 4xx or no answer pending). Idle sessions are kept a few seconds for
// the next message to the same hop (as Postfix's connection cache does).
import { SmtpSessionError, formatReply } from './smtp-client.js';
import { openSession, hopKey } from './transport.js';
export class SessionPool {
    idleMs;
    maxPerHop;
    idle = new Map();
    constructor(idleMs, maxPerHop = 4) {
        this.idleMs = idleMs;
        this.maxPerHop = maxPerHop;
    }
    take(key) {
        const list = this.idle.get(key);
        while (list && list.length) {
            const { client, timer } = list.pop();
            clearTimeout(timer);
            if (client.alive)
                return client;
        }
        return undefined;
    }
    give(key, client) {
        const list = this.idle.get(key) ?? [];
        if (this.idleMs <= 0 || list.length >= this.maxPerHop || !client.alive) {
            void client.quit();
            return;
        }
        const timer = setTimeout(() => {
            const i = list.findIndex((x) => x.client === client);
            if (i >= 0)
                list.splice(i, 1);
            void client.quit();
        }, this.idleMs);
        timer.unref();
        list.push({ client, timer });
        this.idle.set(key, list);
    }
    async closeAll() {
        const all = [...this.idle.values()].flat();
        this.idle.clear();
        await Promise.all(all.map(({ client, timer }) => { clearTimeout(timer); return client.quit(); }));
    }
}
function classify(code) {
    if (code >= 200 && code < 300)
        return 'delivered';
    if (code >= 500)
        return 'failed';
    return 'pending';
}
export async function attemptDelivery(plan, env, pool, o) {
    const problems = [];
    let tlsPolicyFailure = false;
    const pending = (why) => ({
        route: plan.kind, results: env.recipients.map((address) => ({ address, status: 'pending', reply: why })),
        lastReply: why, tlsPolicyFailure, remoteMta: undefined,
    });
    for await (const h of plan.hops()) {
        if ('skipped' in h) {
            problems.push(h.skipped);
            continue;
        }
        const hop = h;
        const key = hopKey(hop);
        let client = pool.take(key);
        const pooled = client !== undefined;
        try {
            client ??= await openSession(hop, o);
        }
        catch (e) {
            const err = e instanceof SmtpSessionError ? e : new SmtpSessionError(e.message, true);
            if (err.tlsFailure && (plan.tlsEnforced || hop.tls !== 'opportunistic'))
                tlsPolicyFailure = true;
            problems.push(`${hop.name}: ${err.message}`);
            if (!(err.tlsFailure && hop.tls === 'opportunistic' && !plan.tlsEnforced))
                continue;
            // opportunistic TLS that failed its handshake: this host once more without STARTTLS
            try {
                client = await openSession({ ...hop, tls: 'plaintext' }, o);
            }
            catch (e2) {
                problems.push(`${hop.name} (without TLS): ${e2.message}`);
                continue;
            }
        }
        try {
            const run = (c) => c.transaction(env.mailFrom, env.recipients, env.data, { envid: env.envid, ret: env.ret ?? null, ...(env.dsn ? { recipients: env.dsn } : {}), dataTimeoutMs: o.dataTimeoutMs });
            let tx;
            try {
                tx = await run(client);
            }
            catch (e) {
                // a cached session the server closed meanwhile: once more on a fresh one
                if (!pooled || !(e instanceof SmtpSessionError) || e.reply)
                    throw e;
                client.close();
                client = await openSession(hop, o);
                tx = await run(client);
            }
            const results = tx.recipients.map((r) => ({ address: r.address, status: classify(r.reply.code), reply: formatReply(r.reply) }));
            if (await client.reset())
                pool.give(key, client);
            else
                client.close();
            return { route: plan.kind, results, lastReply: results.map((r) => r.reply).find((r) => !r.startsWith('2')) ?? results[0]?.reply ?? '', tlsPolicyFailure: false, remoteMta: hop.name, dsnPassed: client.supports('DSN') };
        }
        catch (e) {
            client?.close();
            const err = e instanceof SmtpSessionError ? e : new SmtpSessionError(e.message, true);
            const text = err.reply ? formatReply(err.reply) : `${hop.name}: ${err.message}`;
            // A refused sender or a session lost in the transaction ends this attempt: every recipient
            // shares the answer (permanent only for a 5xx reply to MAIL FROM).
            const status = err.reply && !err.transient ? 'failed' : 'pending';
            return { route: plan.kind, results: env.recipients.map((address) => ({ address, status, reply: text })), lastReply: text, tlsPolicyFailure: false, remoteMta: hop.name };
        }
    }
    return pending(problems.length ? problems.join('; ').slice(0, 900) : 'no host to deliver to');
}
//# sourceMappingURL=attempt.js.map