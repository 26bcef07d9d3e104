// Every wait of the Worker has a deadline (docs/architecture.md): a KV read or a client body
// that hangs must not hold a request, or an isolate's refresh, for ever.

export class DeadlineError extends Error {
  constructor(what, milliseconds) {
    super(`${what} took longer than ${milliseconds} ms`);
    this.name = "DeadlineError";
  }
}

/**
 * `promise`'s outcome, or a DeadlineError naming `what` after `milliseconds`. The work itself
 * is not cancelled (a KV read cannot be), only no longer waited for; its late outcome is
 * ignored, never unhandled, because Promise.race has subscribed to it.
 */
export async function withDeadline(promise, milliseconds, what) {
  let timer;
  const expired = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(what, milliseconds)), milliseconds);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** An error's message for a log line or a response, whatever was thrown. */
export function describe(error) {
  return error instanceof Error ? error.message : String(error);
}
