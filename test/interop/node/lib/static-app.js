// A tiny single-page "app" server for the browser clients (oidc-client-ts, Amplify): listens on 127.0.0.1 on a free port
// and is opened as http://localhost:PORT (Chromium maps localhost to 127.0.0.1, see launchBrowser), because Cognito allows
// plain http only for localhost callback and logout URLs. Every path not in `files` serves `html` (the SPA's own routes:
// the callback, the signed-out page).
import http from 'node:http';

/**
 * Serve `html` (a string, or a function of the request's path returning one) for every page path and `files` ({ '/name.js': { type, body } }) as they are. Resolves with
 * { origin: 'http://localhost:PORT', close() }.
 */
export async function serveApp(html, files = {}) {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url, 'http://localhost').pathname;
    const file = files[path];
    if (file) {
      res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' });
      res.end(file.body);
    } else if (path === '/favicon.ico') {
      res.writeHead(404);
      res.end();
    } else {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(typeof html === 'function' ? html(path) : html);
    }
  });
  server.keepAliveTimeout = 1000;
  await new Promise((resolve, reject) => { server.once('error', reject); server.listen(0, '127.0.0.1', resolve); });
  const { port } = server.address();
  return {
    origin: `http://localhost:${port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/**
 * The app's callback for tests that need no app code (openid-client and aws-jwt-verify drive the flow from Node): any path
 * answers a small page, so the browser stops at the redirect_uri and the test reads `page.url()`. A real listener, because
 * Playwright's request routing does not see the hops of a redirect chain (a 302 from /oauth2/authorize to the callback).
 */
export function callbackServer() {
  return serveApp('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>app callback</title></head><body><p>callback</p></body></html>');
}
