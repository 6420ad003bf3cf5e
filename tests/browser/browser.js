// browser.js — launches Debian's Chromium through playwright-core, headless,
// with a fresh profile and no background networking (this machine has no
// internet; Chromium's own connections would only fail noisily).
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Launches Chromium with a fresh profile; resolves to {browser, context, page}
 * where browser.close() also removes the profile.
 */
export async function launch({ width = 1200, height = 900, locale = 'en-US' } = {}) {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run 'apt-get install -y chromium' (npm test does it when run as root)`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'gradlab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width, height },
    locale,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--allow-file-access-from-files',
    ],
  });
  const page = context.pages()[0] || (await context.newPage());
  const browser = {
    newPage: () => context.newPage(),
    close: async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); },
  };
  return { browser, context, page };
}
