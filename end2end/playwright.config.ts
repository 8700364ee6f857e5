import { defineConfig, devices } from '@playwright/test';

// A release build of Mobilise on its own port, over a fresh SQLite database seeded with the
// demo accounts, driven by Debian's Chromium (Playwright cannot download browsers here).
const PORT = Number(process.env.MOBILISE_E2E_PORT ?? 3100);
// Where the loopback SMTP server keeps what the app sends (read by tests/mail.ts).
process.env.MOBILISE_E2E_MAIL ??= `/tmp/mobilise-e2e-mail-${PORT}`;

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [
    { name: 'tablet', use: { ...devices['Desktop Chrome'], viewport: { width: 768, height: 1024 }, hasTouch: true } },
    // Outreach (and its weak-signal story) is for tablets; everything else must also work on a 360 px phone.
    { name: 'phone', testIgnore: /(outreach|weak-signal)\.spec\.ts/, use: { ...devices['Desktop Chrome'], viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true } },
  ],
  webServer: {
    command: 'bash end2end/start-server.sh',
    cwd: '..',
    url: `http://127.0.0.1:${PORT}/readyz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: { MOBILISE_E2E_PORT: String(PORT), MOBILISE_E2E_MAIL: process.env.MOBILISE_E2E_MAIL },
  },
});
