// A request body the Worker may have to send more than once (a retry, a fallback service):
// read into memory when it is small enough, else streamed once, after which nothing is
// repeated. Both the size and the time spent reading are capped, as every read is.

import { withDeadline } from "./deadline.mjs";

/**
 * `{replayable: true, bytes}` (bytes null when there is no body), or `{replayable: false,
 * stream}` for a body over `limit` bytes, whose first chunks were already read and are
 * given back in front of the rest.
 */
export async function readBody(request, limit, deadlineMs) {
  if (request.body === null) return { replayable: true, bytes: null };
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) return { replayable: false, stream: request.body };
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  const read = async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { replayable: true, bytes: joined(chunks, size) };
      chunks.push(value);
      size += value.byteLength;
      if (size > limit) return { replayable: false, stream: replaying(chunks, reader) };
    }
  };
  return withDeadline(read(), deadlineMs, "reading the request body");
}

function joined(chunks, size) {
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** A stream of `chunks`, then of what `reader` has left. */
function replaying(chunks, reader) {
  return new ReadableStream({
    pull(controller) {
      if (chunks.length > 0) return controller.enqueue(chunks.shift());
      return reader.read().then(({ done, value }) => (done ? controller.close() : controller.enqueue(value)));
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
