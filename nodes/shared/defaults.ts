/** Defaults shared by the option descriptions and the code that applies them. */
export const DEFAULT_TIMEOUT_MS = 300_000;
export const DEFAULT_MAX_RETRIES = 2;
export const DEFAULT_MAX_CONCURRENCY = 5;

/** Model lists are small; a slow answer means something is wrong. */
export const MODEL_LIST_POLICY = { timeoutMs: 60_000, maxRetries: 2 };

/** The longest wait the node takes for a server; one asking for more is not retried at all. */
export const MAX_SERVER_WAIT_MS = 60_000;

/**
 * The largest image file sent: providers refuse much larger ones, and as a data URL it grows by a
 * third. Checked before any request.
 */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;
