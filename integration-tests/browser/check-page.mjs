// Opens one page in headless Chromium (Debian's, through playwright-core) and reports, as one JSON
// object on stdout, what a person at the screen would have seen go wrong: console errors, uncaught
// page errors, failed requests, the document's HTTP status, and the rendered text.
//
//   node check-page.mjs URL SCREENSHOT.png
//
// A page that answers 2xx is waited for until it says it has drawn its data: the operator page sets
// data-state on <html> after each refresh ("ok", "stale" or "error") and counts its draws in
// data-draws. A page that answers otherwise (401 without the token) is reported at once.
// Exit 0 when the check ran (the caller judges the result), 3 when the page never drew within
// CHECK_TIMEOUT_MS, 1 when the browser could not be driven at all.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [url, screenshot] = process.argv.slice(2);
if (!url || !screenshot) {
  console.error('usage: node check-page.mjs URL SCREENSHOT.png');
  process.exit(2);
}
const timeoutMs = Number(process.env.CHECK_TIMEOUT_MS || 30000);
// A fresh profile each run: nothing cached or remembered from an earlier check.
const profile = mkdtempSync(join(tmpdir(), 'check-page-'));

const result = {
  url: url.replace(/([?&]token=)[^&]*/, '$1****'),
  status: null,
  drawn: false,
  state: null,
  draws: 0,
  title: null,
  text: null,
  console_errors: [],
  page_errors: [],
  failed_requests: [],
  screenshot,
};

let context;
let exitCode = 0;
try {
  // launchPersistentContext: the only way to give Chromium its own --user-data-dir through Playwright.
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    // The flags known to work on these machines: without the background-networking ones Chromium
    // keeps dialling Google's hosts through a closed network.
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] || await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') {
      result.console_errors.push(m.text());
    }
  });
  page.on('pageerror', (e) => result.page_errors.push(String(e && e.stack || e)));
  page.on('requestfailed', (r) => result.failed_requests.push({
    url: r.url().replace(/([?&]token=)[^&]*/, '$1****'),
    failure: r.failure() ? r.failure().errorText : 'failed',
  }));
  page.on('response', (r) => {
    if (r.status() >= 400) {
      result.failed_requests.push({ url: r.url().replace(/([?&]token=)[^&]*/, '$1****'), status: r.status() });
    }
  });

  const response = await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
  result.status = response ? response.status() : null;
  if (response && response.ok()) {
    try {
      await page.waitForFunction(() => Number(document.documentElement.dataset.draws || 0) > 0,
        null, { timeout: timeoutMs, polling: 100 });
      result.drawn = true;
    } catch (e) {
      exitCode = 3;
      result.page_errors.push('the page did not draw its data within ' + timeoutMs + ' ms');
    }
  }
  const facts = await page.evaluate(() => ({
    title: document.title,
    state: document.documentElement.dataset.state || null,
    draws: Number(document.documentElement.dataset.draws || 0),
    text: document.body ? document.body.innerText : document.documentElement.textContent,
  }));
  Object.assign(result, facts);
  await page.screenshot({ path: screenshot, fullPage: true });
} catch (e) {
  exitCode = 1;
  result.page_errors.push('check-page: ' + String(e && e.stack || e));
} finally {
  if (context) {
    await context.close().catch(() => {});
  }
  rmSync(profile, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(result, null, 2) + '\n');
process.exit(exitCode);
