import { defineConfig } from '@playwright/test';

// Browser tests run in Debian's Chromium (no browser download here); scripts/e2e.sh
// starts the portal and runs each project against the backend identity it needs.
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: './e2e-tests',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  forbidOnly: true,
  retries: 0,
  workers: 1,
  outputDir: 'node_modules/.cache/e2e-test-results',
  use: {
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000',
    headless: true,
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: chromiumArgs,
    },
  },
  projects: [
    { name: 'admin', testMatch: /admin\/.*\.spec\.ts/ },
    { name: 'developer', testMatch: /developer\/.*\.spec\.ts/ },
  ],
});
