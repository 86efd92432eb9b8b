// The console's browser scenarios (issue 11), run once by io.weft.console.ConsoleBrowserIT against a packaged Weft
// with real sinks. Debian's chromium, driven by playwright-core (never a downloaded browser). Writes a JSON report
// and screenshots; exits non-zero when a scenario failed.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

// playwright-core is installed once under target/ (npm ci by the IT), named by NODE_MODULES.
const { chromium } = createRequire(join(process.env.NODE_MODULES, 'noop.js'))('playwright-core');

const env = process.env;
const BASE = env.WEFT_URL;                       // the business port, e.g. http://127.0.0.1:8080
const CONTROL = env.CONTROL_URL;                 // the test's control server: POST /mes/up, /mes/down
const SHOTS = env.SCREENSHOTS;                   // target/console-screenshots
const REPORT = env.REPORT;                       // target/console-browser-report.json
const DEAD_ORDERS = env.DEAD_ORDERS.split(',');  // orders whose MES delivery is DEAD when we start
const OPERATOR = { name: 'operator', password: 'test-password-operator' };
const VIEWER = { name: 'viewer', password: 'test-password-viewer' };
const ERP_KEY = 'test-key-erp';
const DESKTOP = { width: 1280, height: 800 };
const TABLET = { width: 800, height: 1280 };

mkdirSync(SHOTS, { recursive: true });
const report = { scenarios: [], consoleErrors: [], screenshots: [] };
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

function check(condition, message) {
  if (!condition) { throw new Error(message); }
}

async function newSession(viewport = DESKTOP) {
  const context = await browser.newContext({ viewport, baseURL: BASE });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  page.on('console', (m) => { if (m.type() === 'error') { report.consoleErrors.push(page.url() + ': ' + m.text()); } });
  page.on('pageerror', (e) => report.consoleErrors.push(page.url() + ': ' + e.message));
  return { context, page };
}

async function login(page, who) {
  await page.goto('/login');
  await page.fill('#username', who.name);
  await page.fill('#password', who.password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login') && !u.pathname.startsWith('/j_security')), page.click('#login')]);
}

async function shot(page, name) {
  const file = join(SHOTS, name + '.png');
  await page.screenshot({ path: file, fullPage: true });
  report.screenshots.push(file);
}

async function postOrder(order) {
  const body = { AUFNR: order, WERKS: 'P1', MATNR: 'MAT-4711', GAMNG: 500, GMEIN: 'PC', GSTRP: '2026-12-01',
    GLTRP: '2026-12-03', STATUS: 'REL' };
  const r = await fetch(BASE + '/inbound/erp/production-orders', { method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Api-Key': ERP_KEY }, body: JSON.stringify(body) });
  check(r.status === 202, 'order ' + order + ' answered ' + r.status);
  return (await r.json()).id;
}

async function api(page, path) {
  const r = await page.request.get(path);
  check(r.ok(), 'GET ' + path + ' answered ' + r.status());
  return r.json();
}

async function until(what, probe, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) { return last; }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error('timed out waiting for ' + what);
}

async function scenario(name, body) {
  const started = Date.now();
  try {
    await body();
    report.scenarios.push({ name, ok: true, millis: Date.now() - started });
  } catch (e) {
    report.scenarios.push({ name, ok: false, millis: Date.now() - started, error: String(e && e.stack || e) });
  }
}

const { page: op } = await newSession();

await scenario('anonymous is sent to the login page; a wrong password is refused', async () => {
  const { context, page } = await newSession();
  const answer = await page.goto('/');
  check(new URL(page.url()).pathname === '/login', 'landed on ' + page.url());
  check(answer.ok(), 'login page answered ' + answer.status());
  check(await page.locator('svg.landscape').count() === 0, 'the login page shows no data');
  await page.fill('#username', 'operator');
  await page.fill('#password', 'wrong');
  await page.click('#login');
  await page.waitForSelector('#login-error');
  await shot(page, 'login');
  const refused = await page.request.get('/api/systems');
  check(refused.status() === 401, '/api without a login answered ' + refused.status());
  await context.close();
});

await scenario('a viewer sees no replay button, gets 403 from the API, and no payload', async () => {
  const { context, page } = await newSession();
  await login(page, VIEWER);
  await page.goto('/failures');
  await page.waitForSelector('.failure-group');
  check(await page.locator('.replay-all, .replay-one, .replay-selected').count() === 0, 'a viewer sees replay buttons');
  const link = page.locator('a.failed-message').first();
  const id = (await link.textContent()).trim();
  await link.click();
  await page.waitForSelector('#payload-hidden');
  check(await page.locator('#payload').count() === 0, 'a viewer without the payload permission sees the payload');
  check(await page.locator('.replay-one').count() === 0, 'a viewer sees a replay button on the message');
  await shot(page, 'viewer-message');
  const replay = await page.request.post('/api/messages/' + id + '/replay?destination=mes', { headers: { 'HX-Request': 'true' } });
  check(replay.status() === 403, 'a viewer replaying answered ' + replay.status());
  const pause = await page.request.post('/api/destinations/mes/pause', { headers: { 'HX-Request': 'true' } });
  check(pause.status() === 403, 'a viewer pausing answered ' + pause.status());
  // Logging out drops the session: the next page is the login form again.
  await Promise.all([page.waitForURL((u) => u.pathname === '/login'), page.click('.who button')]);
  await page.goto('/failures');
  check(new URL(page.url()).pathname === '/login', 'after logout /failures showed ' + page.url());
  await context.close();
});

await scenario("the operator's morning: red MES on the landscape, the attempt's error, start MES, bulk replay, DELIVERED", async () => {
  await login(op, OPERATOR);
  check(new URL(op.url()).pathname === '/', 'the login lands on the landscape, not ' + op.url());
  await op.waitForSelector('#node-destination-mes.dead');
  await shot(op, 'landscape');
  await op.click('a[href="/failures"]');
  const group = op.locator('.failure-group[data-destination="mes"]');
  await group.waitFor();
  await shot(op, 'failures');
  await group.locator('a.failed-message').first().click();
  await op.waitForSelector('.delivery[data-destination="mes"] tr.attempt');
  const error = (await op.locator('.delivery[data-destination="mes"] tr.attempt .error-text').first().textContent()).trim();
  check(error.length > 0, 'the failed attempt shows no error');
  report.morningError = error;
  check(await op.locator('#payload').count() === 1, 'the operator (payload permission) sees the payload');
  await shot(op, 'message');
  const up = await fetch(CONTROL + '/mes/up', { method: 'POST' });
  check(up.ok, 'the control server did not start the MES');
  await op.goBack();
  await op.waitForSelector('.failure-group[data-destination="mes"] .replay-all');
  await op.evaluate(() => { window.__noReload = true; });
  await op.locator('.failure-group[data-destination="mes"] .replay-all').click();
  await op.waitForSelector('#replay-dialog[open]');
  const count = Number((await op.textContent('#preview-count')).trim());
  check(count === DEAD_ORDERS.length, 'the preview counts ' + count + ', expected ' + DEAD_ORDERS.length);
  const keys = await op.textContent('#preview-keys');
  for (const order of DEAD_ORDERS) { check(keys.includes(order), 'the preview does not name order ' + order); }
  await shot(op, 'replay-preview');
  await op.click('#confirm-replay');
  await op.waitForFunction((n) => document.querySelectorAll('#replayed-statuses .badge.DELIVERED').length === n,
    DEAD_ORDERS.length, { timeout: 30000 });
  check(await op.evaluate(() => window.__noReload === true), 'the page was reloaded');
  await op.waitForSelector('#no-failures');
  await shot(op, 'replayed');
});

await scenario('search by order number shows the whole story and every attempt', async () => {
  const order = DEAD_ORDERS[0];
  await op.goto('/search');
  await op.fill('#businessKey', order);
  await op.click('#search');
  await op.waitForSelector('#story li');
  const story = await op.textContent('#story');
  check(story.includes('mes') && story.includes('wms'), 'the story does not name both destinations');
  await shot(op, 'search');
  await op.locator('#results a').first().click();
  const attempts = op.locator('.delivery[data-destination="mes"] tr.attempt');
  await attempts.first().waitFor();
  const n = await attempts.count();
  check(n >= 3, 'the MES delivery shows ' + n + ' attempts, expected the failed ones and the delivered one');
});

await scenario('pause MES, orders queue and are not attempted; resume, delivered', async () => {
  await op.goto('/destinations');
  await op.locator('tr[data-destination="mes"] button.pause').click();
  await op.waitForSelector('tr[data-destination="mes"] .badge.paused');
  const ids = [await postOrder(env.PAUSE_ORDERS.split(',')[0]), await postOrder(env.PAUSE_ORDERS.split(',')[1])];
  await op.waitForFunction(() => Number(document.querySelector('tr[data-destination="mes"] .queued')?.textContent) >= 2);
  await shot(op, 'destinations-paused');
  await new Promise((r) => setTimeout(r, 1500)); // longer than the poll interval: a paused lane must not attempt
  for (const id of ids) {
    const m = await api(op, '/api/messages/' + id);
    const mes = m.deliveries.find((d) => d.destination === 'mes');
    check(mes.status === 'PENDING' && mes.attempts === 0, 'paused MES delivery of ' + id + ' is ' + mes.status + ' after ' + mes.attempts + ' attempts');
  }
  const csrf = await op.request.post('/api/destinations/mes/resume');
  check(csrf.status() === 403, 'a session POST without the HX-Request header answered ' + csrf.status());
  await op.locator('tr[data-destination="mes"] button.resume').click();
  await op.waitForSelector('tr[data-destination="mes"] button.pause');
  await until('the queued orders delivered', async () => {
    for (const id of ids) {
      const m = await api(op, '/api/messages/' + id);
      if (m.deliveries.find((d) => d.destination === 'mes').status !== 'DELIVERED') { return false; }
    }
    return true;
  });
});

await scenario('the flow inventory ranks the flow with injected failures first', async () => {
  await op.goto('/flows?window=hour');
  const first = await op.locator('#flows tbody tr').first().getAttribute('data-flow');
  check(first === 'erp/ProductionOrder/mes', 'the first flow is ' + first);
  await shot(op, 'flows');
  const csv = await op.request.get(await op.getAttribute('#csv', 'href'));
  check(csv.ok() && (await csv.text()).includes('erp'), 'the CSV link does not answer the flows');
});

await scenario('every page at 1280x800 and on a tablet (800x1280) without horizontal scrolling', async () => {
  const message = (await api(op, '/api/messages?businessKey=' + DEAD_ORDERS[0]))[0].id;
  const pages = { landscape: '/', flows: '/flows', search: '/search?businessKey=' + DEAD_ORDERS[0], message: '/messages/' + message,
    failures: '/failures', destinations: '/destinations', rejections: '/rejections', system: '/systems/mes' };
  for (const [size, viewport] of [['desktop', DESKTOP], ['tablet', TABLET]]) {
    await op.setViewportSize(viewport);
    for (const [name, path] of Object.entries(pages)) {
      await op.goto(path);
      await op.waitForLoadState('networkidle');
      const wide = await op.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      check(wide <= 0, name + ' at ' + size + ' scrolls horizontally by ' + wide + ' px');
      await shot(op, name + '-' + size);
    }
  }
  await op.setViewportSize(DESKTOP);
});

await scenario('no errors in the browser console', async () => {
  check(report.consoleErrors.length === 0, report.consoleErrors.join('\n'));
});

await browser.close();
writeFileSync(REPORT, JSON.stringify(report, null, 2));
const failed = report.scenarios.filter((s) => !s.ok);
for (const s of report.scenarios) { console.log((s.ok ? 'ok   ' : 'FAIL ') + s.name + (s.ok ? '' : '\n' + s.error)); }
console.log(report.scenarios.length - failed.length + ' passed, ' + failed.length + ' failed');
process.exit(failed.length === 0 ? 0 : 1);
