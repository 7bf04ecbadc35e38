// Real Chromium (Debian's package) driven by playwright-core, with the flags that keep it quiet on
// a machine without network (notes/machine.md). Screenshots go to test-artifacts/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
export const CHROMIUM = process.env.POSTERN_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = join(process.cwd(), 'test-artifacts');
export async function launchBrowser() {
    return chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
}
/** A fresh browser profile that trusts nothing but accepts the test box's certificate (the CA
 *  cannot be installed into a throwaway profile; the TLS itself is still real). */
export async function newContext(browser) {
    return browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1100, height: 800 } });
}
/** Collect Content-Security-Policy violations, failed loads and script errors a page reports
 *  (answers 400 and 403 are the panel explaining a refused form: expected, not a problem). */
export function watchProblems(page) {
    const problems = [];
    page.on('console', (m) => {
        if (m.type() === 'error' && !/the server responded with a status of 40[03]/.test(m.text()))
            problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    return problems;
}
export async function screenshot(page, name) {
    mkdirSync(ARTIFACTS, { recursive: true });
    const path = join(ARTIFACTS, `${name}.png`);
    await page.screenshot({ path, fullPage: true });
    return path;
}
//# sourceMappingURL=browser.js.map