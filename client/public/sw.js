// Keeps the volunteer app openable without a connection: the page is fetched from the network when
// possible and from the cache otherwise; built assets (hashed names) come from the cache once seen.
// API calls are never cached: the app's own outbox in IndexedDB holds unsent records.
const CACHE = 'collect-v1';

/** The page and every asset it links (scripts, preloads, styles), so that it opens offline at once. */
async function keepApp() {
  const cache = await caches.open(CACHE);
  const page = await fetch('/collect', { cache: 'no-cache' });
  if (!page.ok) return;
  const html = await page.clone().text();
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);
  await cache.addAll([...new Set(assets)]);
  await cache.put('/collect', page);
}

self.addEventListener('install', (event) => event.waitUntil(keepApp().then(() => self.skipWaiting())));
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

function remember(event, key, response) {
  if (response.ok) {
    const copy = response.clone();
    event.waitUntil(caches.open(CACHE).then((cache) => cache.put(key, copy)));
  }
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (request.mode === 'navigate' && url.pathname === '/collect') {
    event.respondWith(
      fetch(request)
        .then((response) => remember(event, '/collect', response))
        .catch(() => caches.match('/collect').then((cached) => cached || Response.error())),
    );
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(
      caches
        .match(request)
        .then((cached) => cached || fetch(request).then((response) => remember(event, request, response))),
    );
  }
});
