import { defineConfig } from '@playwright/test';
import base from './playwright.config';

// `scripts/bench.sh size` and `field`: measurements, not tests. The same release server and
// Chromium as the end-to-end suite, on a port of their own, a tablet-sized window, one run each.
const PORT = Number(process.env.MOBILISE_BENCH_PORT ?? 3500);
process.env.MOBILISE_E2E_MAIL = `/tmp/mobilise-bench-mail-${PORT}`;

export default defineConfig({
  ...base,
  testDir: './bench',
  timeout: 300_000,
  reporter: [['line']],
  use: { ...base.use, baseURL: `http://127.0.0.1:${PORT}`, viewport: { width: 768, height: 1024 }, hasTouch: true },
  projects: [{ name: 'bench' }],
  webServer: {
    ...(base.webServer as object),
    url: `http://127.0.0.1:${PORT}/readyz`,
    env: { MOBILISE_E2E_PORT: String(PORT), MOBILISE_E2E_SMTP_PORT: String(PORT + 25), MOBILISE_E2E_MAIL: process.env.MOBILISE_E2E_MAIL },
  },
});
