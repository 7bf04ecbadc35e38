// The DNS records to publish for one domain, as a table and as zone-file text to copy (the
// Domains page and the first-run DNS step).
import { storeOf, type PanelContext } from '../context.js';
import { zoneLine } from '../../services/smtp/dns-records.js';
import { dnsRecordsFor } from '../seams.js';

/** The records for one domain as a table and as zone-file text to copy. */
export function DnsRecords(props: { c: PanelContext; domain: string }) {
  const { c, domain } = props;
  const records = dnsRecordsFor(storeOf(c), c.var.deps.config, domain);
  if (!records) return <p>The DNS records for {domain} are not available in this version yet.</p>;
  const id = `zone-${domain.replace(/[^a-z0-9]/g, '-')}`;
  const zone = records.map((r) => zoneLine(r)).join('\n');
  return (
    <>
      <table>
        <caption>Records to publish at your domain provider for {domain}</caption>
        <thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Value</th><th scope="col">What it is for</th></tr></thead>
        <tbody>
          {records.map((r) => <tr><td><code>{r.name}</code></td><td>{r.type}</td><td><code>{r.value}</code></td><td>{r.purpose}</td></tr>)}
        </tbody>
      </table>
      <p>The same, as text for a zone file:</p>
      <pre id={id}>{zone}</pre>
      <button type="button" class="secondary" data-copy={id}>Copy the records</button>
    </>
  );
}
