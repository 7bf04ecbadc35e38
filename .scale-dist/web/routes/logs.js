import { jsxs as _jsxs, jsx as _jsx } from "hono/jsx/jsx-runtime";
import { recentLogLines } from '../../appliance/log.js';
import { page } from '../page.js';
export function logsRoutes(app) {
    app.get('/logs', (c) => {
        const lines = [...recentLogLines()].slice(-200).reverse();
        return page(c, 'Log', (_jsxs("section", { children: [_jsxs("p", { children: ["The newest ", lines.length, " lines, newest first. Addresses are shown as short codes (the same code means the same address)."] }), _jsxs("table", { children: [_jsx("thead", { children: _jsxs("tr", { children: [_jsx("th", { scope: "col", children: "Time (UTC)" }), _jsx("th", { scope: "col", children: "Level" }), _jsx("th", { scope: "col", children: "Event" }), _jsx("th", { scope: "col", children: "Details" })] }) }), _jsx("tbody", { children: lines.map((l) => {
                                const { time, level, event, ...rest } = l;
                                return (_jsxs("tr", { children: [_jsx("td", { children: time.replace('T', ' ').slice(0, 19) }), _jsx("td", { children: level }), _jsx("td", { children: _jsx("code", { children: event }) }), _jsx("td", { children: _jsx("code", { children: Object.keys(rest).length ? JSON.stringify(rest) : '' }) })] }));
                            }) })] })] })));
    });
}
//# sourceMappingURL=logs.js.map