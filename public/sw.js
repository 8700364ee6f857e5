// Mobilise service worker: lets a worker open the app with no signal after one online visit.
// The app's files are named after their contents (`hash-files`), so one this device holds is
// served from the cache at once: it can never change. Pages, and any file without a hash in its
// name, are network-first (so an upgrade is never half-applied) with the cache as fallback, and
// the cache answers when the network has not begun to within 1.5 seconds (a weak signal).
// Never caches anything but successful GETs; never touches server-function calls (POST).
const VERSION = 'v6';
const STATIC_CACHE = `mobilise-static-${VERSION}`;
const PAGES_CACHE = 'mobilise-pages'; // deleted by the app on sign-out
const KEEP = [STATIC_CACHE, PAGES_CACHE];
const FALLBACK_PAGE = '/outreach';

self.addEventListener('install', (event) => {
  event.waitUntil(self.skipWaiting());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (!KEEP.includes(name)) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// Every page a worker may open with no signal. The app asks for them as soon as an outreach
// worker is signed in (see `precache_offline_pages`): after sign-in it moves between pages
// itself, so the browser never loads them in full and they would not otherwise be kept.
const OFFLINE_PAGES = ['/', '/outreach', '/outreach/doorstep', '/outreach/conversation', '/outreach/events', '/outreach/follow-ups', '/outreach/consultations'];

// `<stem>.<hash>.<ext>` under /pkg/, as `app::server::assets::is_content_hashed` decides.
function isContentHashed(url) {
  const m = /^\/pkg\/[^/]+\.([A-Za-z0-9_-]{22})\.(js|wasm|css|json)$/.exec(url.pathname);
  return !!m && !/^_+$/.test(m[1]);
}

async function precache() {
  const pages = await caches.open(PAGES_CACHE);
  const statics = await caches.open(STATIC_CACHE);
  const assets = new Set(['/favicon.svg', '/manifest.webmanifest']);
  let allFresh = true; // every kept page is this build's
  for (const path of OFFLINE_PAGES) {
    let response;
    try {
      response = await fetch(path, { credentials: 'same-origin', cache: 'no-store' });
    } catch (offline) {
      return; // no signal: keep what is there
    }
    // Only the signed-in worker's own page, never a sign-in page reached by a redirect.
    if (!response.ok || response.type !== 'basic' || response.redirected) {
      allFresh = false;
      continue;
    }
    const html = await response.clone().text();
    // The code and styles the page loads (the names change with each build).
    for (const match of html.matchAll(/["'](\/pkg\/[^"'?#\s]+)/g)) assets.add(match[1]);
    await pages.put(path, response);
  }
  // The split-off pages (`cargo leptos build --split`): every chunk a staff member can open, and
  // the loader that fetches them (each split's own piece and the chunks it shares). On Leptos
  // 0.8 a chunk that cannot be fetched stops the whole app, so a worker who goes offline must
  // already hold all of them. The app's script imports the loader, which names every chunk.
  try {
    for (const script of [...assets].filter((a) => a.endsWith('.js'))) {
      for (const loader of (await textOf(statics, script)).matchAll(/__wasm_split\.[A-Za-z0-9_-]+\.js/g)) {
        const path = `/pkg/${loader[0]}`;
        assets.add(path);
        for (const chunk of (await textOf(statics, path)).matchAll(/["']\.\/([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)?\.wasm)["']/g)) {
          assets.add(`/pkg/${chunk[1]}`);
        }
      }
    }
  } catch (offline) {
    return;
  }
  // A few at a time: the split build has several dozen chunks. A file named after its contents
  // that this device already holds is not fetched again.
  const queue = [...assets];
  let cutOff = false;
  const fetchNext = async () => {
    while (queue.length && !cutOff) {
      const asset = queue.shift();
      if (isContentHashed(new URL(asset, self.location.origin)) && await statics.match(asset)) continue;
      try {
        const response = await fetch(asset);
        if (response.ok && response.type === 'basic') await statics.put(asset, response);
      } catch (offline) {
        cutOff = true; // no signal: keep what is there
      }
    }
  };
  await Promise.all(Array.from({ length: 6 }, fetchNext));
  // Code of builds before the last two, which no page this tablet could still be running loads
  // any more (one opened from the cache on a weak signal may be the previous build's).
  if (!cutOff && allFresh) {
    const previous = await statics.match(ASSET_LIST);
    const keep = new Set([...assets, ...(previous ? await previous.json() : [])]);
    for (const request of await statics.keys()) {
      const path = new URL(request.url).pathname;
      if (path.startsWith('/pkg/') && !keep.has(path)) await statics.delete(request);
    }
    await statics.put(ASSET_LIST, new Response(JSON.stringify([...assets]), { headers: { 'Content-Type': 'application/json' } }));
  }
}

// Where the service worker notes which files the last complete precache kept (never fetched).
const ASSET_LIST = '/__service-worker/precached-assets';

// A script's text, from the cache when held there (a file named after its contents never
// changes), otherwise from the network. Throws when neither has it (no signal).
async function textOf(cache, path) {
  const hashed = isContentHashed(new URL(path, self.location.origin));
  const held = hashed ? await cache.match(path) : undefined;
  if (held) return held.text();
  const response = await fetch(path);
  if (!response.ok || response.type !== 'basic') return '';
  if (hashed) await cache.put(path, response.clone());
  return response.text();
}

self.addEventListener('message', (event) => {
  if (event.origin && event.origin !== self.location.origin) return;
  if (event.data && event.data.type === 'precache') event.waitUntil(precache());
});

function isStatic(url) {
  return url.pathname.startsWith('/pkg/') || url.pathname.startsWith('/icons/') ||
    url.pathname === '/favicon.svg' || url.pathname === '/manifest.webmanifest';
}

// A weak signal: the connection is up but nothing answers. A page or file this device holds is
// served from its cache when the network has not begun to answer within 1.5 s (a slow but
// working network has sent its headers by then, and its answer is used); the network's answer,
// if it comes, still refreshes the cache for next time.
const PATIENCE_MS = 1500;
// Once the network has failed to answer, what the cache holds is served at once for a while
// (no 2 s wait for each file of the page), until the network answers again.
const UNANSWERED_FOR_MS = 30000;
let unansweredSince = 0;

function networkSeemsHung() {
  return unansweredSince > 0 && Date.now() - unansweredSince < UNANSWERED_FOR_MS;
}

async function networkFirst(event, cacheName, fallbackPath) {
  const request = event.request;
  const cache = await caches.open(cacheName);
  // Resolves as soon as the network's headers arrive; the copy for the cache is stored while
  // the page reads the body, so a slow body never makes the cache answer instead. The worker
  // stays up until the copy is stored, even when the page was answered from the cache.
  let storing = Promise.resolve();
  const network = fetch(request).then((response) => {
    unansweredSince = 0;
    if (response.ok && response.type === 'basic') {
      storing = cache.put(request, response.clone()).catch(() => {});
    }
    return response;
  });
  event.waitUntil(network.then(() => storing, () => {}));
  const cached = await cache.match(request);
  if (cached) {
    const waited = networkSeemsHung()
      ? null
      : await Promise.race([network.catch(() => null), new Promise((resolve) => setTimeout(() => resolve(null), PATIENCE_MS))]);
    if (waited) return waited;
    if (!unansweredSince) unansweredSince = Date.now();
    network.catch(() => {}); // still on its way: it refreshes the cache if it ever answers
    return cached;
  }
  try {
    return await network;
  } catch (networkError) {
    if (fallbackPath) {
      // Send the browser to the cached page's own address: serving its HTML under another
      // address would hydrate the wrong page.
      const shell = await cache.match(fallbackPath);
      if (shell) return Response.redirect(fallbackPath, 302);
    }
    if (request.mode === 'navigate') {
      return new Response(
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
        '<title>Offline – Mobilise</title></head><body><main><h1>You are offline</h1>' +
        '<p>This page has not been opened on this device before, so it cannot be shown without a connection. ' +
        'Records you have already made are safe on this device.</p><p><a href="/outreach">Go to Outreach</a></p></main></body></html>',
        { status: 503, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
    }
    throw networkError;
  }
}

// A file named after its contents: what this device holds is what the network would send.
async function cacheFirst(event, cacheName) {
  const cache = await caches.open(cacheName);
  const cached = await cache.match(event.request);
  if (cached) return cached;
  const response = await fetch(event.request);
  if (response.ok && response.type === 'basic') {
    event.waitUntil(cache.put(event.request, response.clone()).catch(() => {}));
  }
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/') || url.pathname === '/healthz') return;
  if (request.mode === 'navigate') {
    // Only the pages a worker needs offline are kept. Resident pages (consultations, ideas)
    // are never stored: on a shared or public computer the next person must not find them.
    if (url.pathname !== '/' && url.pathname !== '/outreach' && !url.pathname.startsWith('/outreach/')) return;
    event.respondWith(networkFirst(event, PAGES_CACHE, FALLBACK_PAGE));
  } else if (isContentHashed(url)) {
    event.respondWith(cacheFirst(event, STATIC_CACHE));
  } else if (isStatic(url)) {
    event.respondWith(networkFirst(event, STATIC_CACHE, null));
  }
});
