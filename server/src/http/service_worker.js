// Doorstep's service worker: the app opens and reloads with no network.
// The server writes in the site's version and the files to keep
// (server/src/http/service_worker.rs); a new build is a new version, so the
// browser installs this worker again, which keeps the new files and drops
// the old ones. Queued work lives in the page's own storage, never in these
// caches, so a new version cannot strand it.
const VERSION = "__SITE_VERSION__";
const SHELL_FILES = __SHELL_FILES__;
const SHELL = "doorstep-shell-" + VERSION;
const PAGES = "doorstep-pages-" + VERSION;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll(SHELL_FILES))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("doorstep-") && name !== SHELL && name !== PAGES)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Server functions, photos, live events and exports always go to the server.
  if (url.pathname.startsWith("/api/") || url.pathname === "/sw.js" || url.pathname === "/healthz") {
    return;
  }
  // A page opened, or one the app asks to keep for offline use.
  if (request.mode === "navigate" || request.headers.get("X-Keep-Page") === "1") {
    event.respondWith(page(request));
  } else if (SHELL_FILES.includes(url.pathname)) {
    event.respondWith(shellFile(request));
  }
});

// Pages: the network first, so an online phone always sees the server's
// answer; the last copy of the page when the network fails.
async function page(request) {
  const cache = await caches.open(PAGES);
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    const kept = await cache.match(request);
    return kept || offlinePage();
  }
  if (new URL(response.url).pathname === "/login") {
    // At the login page (logged out, or sent there): the pages of the last
    // session are not kept for whoever uses the phone next.
    await caches.delete(PAGES);
  } else if (response.ok && !response.redirected) {
    await cache.put(request.url, response.clone());
  }
  return response;
}

async function shellFile(request) {
  const kept = await caches.match(request, { cacheName: SHELL });
  return kept || fetch(request);
}

function offlinePage() {
  const html =
    '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    "<title>离线 · Offline</title></head>" +
    '<body style="font-family:sans-serif;padding:1.5rem;line-height:1.6">' +
    '<h1 data-testid="offline-page">没有网络</h1>' +
    "<p>这个页面还没有保存在本机。连上网络后再打开它；已保存的页面（例如今日工单）离线也能打开。</p>" +
    '<p lang="en">No network. This page is not kept on this phone yet: open it again when online. ' +
    "Pages you have opened before (such as today's visits) open offline.</p>" +
    '<p><a href="/">今日工单 · Today</a></p></body></html>';
  return new Response(html, {
    status: 503,
    headers: { "Content-Type": "text/html; charset=utf-8" },
  });
}
