import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { main } from '../../cli/main';
import { CHROMIUM, describeWithBrowser } from '../support/describe-with-browser';

const ROOT = join(__dirname, '..', '..');

describeWithBrowser('the HTML report, rendered in headless Chromium', () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'warden-report-'));
    const io = { stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd: ROOT };
    const code = await main(
      [
        'simulate',
        '--events',
        'examples/events',
        '--snapshot',
        'examples/snapshot.json',
        '--policy',
        'examples/policy.yaml',
        '--output-dir',
        dir,
        '--exit-zero',
      ],
      io,
    );
    if (code !== 0) throw new Error(`warden simulate exited ${code}`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  }, 60_000);

  afterAll(() => browser?.close());

  it('shows the summary by severity and check, the chart, the findings with why, decision and fix, and the exemptions', async () => {
    const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
    await page.goto(`file://${join(dir, 'warden-report.html')}`);
    const json = JSON.parse(readFileSync(join(dir, 'warden-report.json'), 'utf8')) as { rows: { check: string; exemption?: object }[] };
    const checks = new Set(json.rows.map((row) => row.check));
    await expect(page.locator('tr.finding').count()).resolves.toBe(json.rows.length);
    await expect(page.locator('#by-check tbody tr').count()).resolves.toBe(checks.size);
    await expect(page.locator('#chart g.bar').count()).resolves.toBe(checks.size);
    // Bars are drawn, each as long as its count allows: the longest is the check with the most findings.
    const widths = await Promise.all((await page.locator('#chart rect').all()).map(async (rect) => Number(await rect.getAttribute('width'))));
    expect(Math.min(...widths)).toBeGreaterThan(0);
    await expect(page.locator('.tile[data-severity="critical"] b').textContent()).resolves.toBe('1');
    const exempt = json.rows.filter((row) => row.exemption).length;
    await expect(page.locator('#exemptions tr.exemption').count()).resolves.toBe(exempt);
    await expect(page.locator('#exemptions').textContent()).resolves.toContain('sandbox tables hold no customer data');
    const publicAccess = page.locator('tr.finding[data-check="lambda-function-public-access"]');
    await expect(publicAccess.textContent()).resolves.toMatch(/lets anyone lambda:InvokeFunction.*approval by .*Lambda\.RemovePermission/s);
    await expect(publicAccess.locator('.stack').textContent()).resolves.toContain('checkout-service');
    // It loads nothing from outside the file.
    const requests: string[] = [];
    page.on('request', (request) => void requests.push(request.url()));
    await page.reload();
    expect(requests.filter((url) => !url.startsWith('file://'))).toEqual([]);
    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(20_000);
    await page.close();
  }, 60_000);

  it('carries no secret value from the snapshot, in any format', () => {
    for (const file of ['warden-report.html', 'warden-report.json', 'warden-report.csv', 'warden-report.md', 'warden-report.sarif']) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect([file, text.includes('sk_live_51DEMO') || text.includes('Demo-Only-Pa55w0rd')]).toEqual([file, false]);
    }
  });
});
