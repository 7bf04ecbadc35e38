// The recent log lines from the in-memory ring buffer. They are redacted when written (log.ts):
// addresses and client addresses appear only as short keyed hashes.
import type { Hono } from 'hono';
import { recentLogLines } from '../../appliance/log.js';
import type { PanelEnv } from '../context.js';
import { page } from '../page.js';

export function logsRoutes(app: Hono<PanelEnv>): void {
  app.get('/logs', (c) => {
    const lines = [...recentLogLines()].slice(-200).reverse();
    return page(c, 'Log', (
      <section>
        <p>The newest {lines.length} lines, newest first. Addresses are shown as short codes (the same code means the same address).</p>
        <table>
          <thead><tr><th scope="col">Time (UTC)</th><th scope="col">Level</th><th scope="col">Event</th><th scope="col">Details</th></tr></thead>
          <tbody>
            {lines.map((l) => {
              const { time, level, event, ...rest } = l;
              return (
                <tr>
                  <td>{time.replace('T', ' ').slice(0, 19)}</td>
                  <td>{level}</td>
                  <td><code>{event}</code></td>
                  <td><code>{Object.keys(rest).length ? JSON.stringify(rest) : ''}</code></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    ));
  });
}
