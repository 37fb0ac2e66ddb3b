// The player's offline cache: the page and the package files it loads. Online, every request
// goes to the network first (so a rebuilt package is picked up at once) and refreshes the cache;
// offline, the cached copy answers.

const CACHE = "regimen-player-v1";
const FILES = [
  "./",
  "./index.html",
  "./player.js",
  "./player.css",
  "../../bindings/js/src/index.js",
  "../../bindings/js/src/proto.js",
  "../../bindings/js/dist/regimen_wasm.mjs",
  "../../bindings/js/dist/regimen_wasm.wasm",
  "../../bindings/js/dist/zones.js",
  "../../bindings/js/dist/schema.js",
];

self.addEventListener("install", (event) => {
  // One missing file must not cost the others their place in the cache.
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => Promise.all(FILES.map((file) => cache.add(file).catch(() => undefined))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        if (response.ok && response.type === "basic") {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy)).catch(() => undefined);
        }
        return response;
      })
      .catch(() =>
        caches.match(request, { ignoreSearch: true }).then((cached) => cached ?? Response.error()),
      ),
  );
});
