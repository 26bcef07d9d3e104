// Loopback upstream servers for the Worker's tests (node:http on 127.0.0.1, a port the system
// picks): each records the requests it got (method, path with query, headers, body) and
// answers with its handler. `close()` ends open connections too, so a slow upstream never
// keeps a test run alive.
import { createServer } from "node:http";

/** A server answering with `handler(request, body, response)`. */
export async function upstream(handler) {
  const requests = [];
  const sockets = new Set();
  const server = createServer((request, response) => {
    const chunks = [];
    request.on("data", (chunk) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      requests.push({ method: request.method, url: request.url, headers: request.headers, body });
      handler(request, body, response);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Answers 200 with what it received, as JSON, and a header of its own. */
export function healthy(name = "healthy") {
  return upstream((request, body, response) => {
    response.writeHead(200, { "content-type": "application/json", "x-upstream": name, "server-timing": "app;dur=1" });
    response.end(JSON.stringify({ name, method: request.method, url: request.url, body }));
  });
}

/** Answers `status` (500 by default) every time. */
export function failing(status = 500) {
  return upstream((request, body, response) => {
    response.writeHead(status, { "content-type": "text/plain" });
    response.end(`failing with ${status}`);
  });
}

/** Answers 200 only after `delayMs`, beyond any timeout a test sets. */
export function slow(delayMs = 5000) {
  return upstream((request, body, response) => {
    const timer = setTimeout(() => response.end("late"), delayMs);
    response.on("close", () => clearTimeout(timer));
  });
}

/** A URL where nothing listens: a server's port, closed again. */
export async function refusing() {
  const server = await upstream(() => {});
  await server.close();
  return server.url;
}
