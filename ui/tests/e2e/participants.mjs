// Three participants answer the workshop page from Chromium, each in a phone-sized
// browser context of their own, as people in a room would: used by the real app's
// end-to-end test (tests/e2e.rs), which starts collecting in the app and passes the
// link and the PIN it shows.
//
//   node ui/tests/e2e/participants.mjs URL PIN
//
// Prints one JSON line: the submission ids sent, in order.
import { chromium } from 'playwright-core';

import { participate } from '../browser/participant.mjs';

const [url, pin] = process.argv.slice(2);
if (!url || !pin) {
  console.error('usage: node ui/tests/e2e/participants.mjs URL PIN');
  process.exit(2);
}

const people = [
  { role: 'Front line', department: 'Retail', name: 'Phone Ana', value: '3' },
  { role: 'Front line', department: 'Contact centre', name: 'Phone Ben', value: '2' },
  { role: 'Manager', department: 'Operations', name: 'Phone Cleo', value: '4' },
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});
try {
  const ids = [];
  for (const person of people) {
    const context = await browser.newContext({
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    ids.push(await participate(page, url, pin, person));
    await context.close();
  }
  console.log(JSON.stringify({ submitted: ids }));
} finally {
  await browser.close();
}
