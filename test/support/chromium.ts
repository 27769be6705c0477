import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium, headless, with the flags this closed network needs (no background
 * networking, no component updates); never a downloaded browser.
 */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
