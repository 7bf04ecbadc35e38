import { jsxs as _jsxs, jsx as _jsx, Fragment as _Fragment } from "hono/jsx/jsx-runtime";
// The DNS records to publish for one domain, as a table and as zone-file text to copy (the
// Domains page and the first-run DNS step).
import { storeOf } from '../context.js';
import { zoneLine } from '../../services/smtp/dns-records.js';
import { dnsRecordsFor } from '../seams.js';
/** The records for one domain as a table and as zone-file text to copy. */
export function DnsRecords(props) {
    const { c, domain } = props;
    const records = dnsRecordsFor(storeOf(c), c.var.deps.config, domain);
    if (!records)
        return _jsxs("p", { children: ["The DNS records for ", domain, " are not available in this version yet."] });
    const id = `zone-${domain.replace(/[^a-z0-9]/g, '-')}`;
    const zone = records.map((r) => zoneLine(r)).join('\n');
    return (_jsxs(_Fragment, { children: [_jsxs("table", { children: [_jsxs("caption", { children: ["Records to publish at your domain provider for ", domain] }), _jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: "Name" }), _jsx("th", { scope: "col", children: "Type" }), _jsx("th", { scope: "col", children: "Value" }), _jsx("th", { scope: "col", children: "What it is for" })] }) }), _jsx("tbody", { children: records.map((r) => _jsxs("tr", { children: [_jsx("td", { children: _jsx("code", { children: r.name }) }), _jsx("td", { children: r.type }), _jsx("td", { children: _jsx("code", { children: r.value }) }), _jsx("td", { children: r.purpose })] })) })] }), _jsx("p", { children: "The same, as text for a zone file:" }), _jsx("pre", { id: id, children: zone }), _jsx("button", { type: "button", class: "secondary", "data-copy": id, children: "Copy the records" })] }));
}
//# sourceMappingURL=dns-records.js.map