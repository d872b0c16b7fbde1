/** Defaults shared by the option descriptions and the code that applies them. */
export const DEFAULT_TIMEOUT_MS = 300_000;
export const DEFAULT_MAX_RETRIES = 2;
export const DEFAULT_MAX_CONCURRENCY = 5;

export const MB = 1024 * 1024;

/**
 * The most a chat answer may weigh, decompressed (streamed answers count their event
 * framing too, several times the text): far above any model's output, far below what
 * would take n8n's memory with it. The Max Response Size option raises it.
 */
export const DEFAULT_MAX_RESPONSE_MB = 32;

/** Model lists are small; a slow answer means something is wrong. A real list of 500,000 models is 45 MB. */
export const MODEL_LIST_POLICY = { timeoutMs: 60_000, maxRetries: 2, maxBytes: 64 * MB };

/** The credentials' Test button: one request for the model list, no retries. */
export const CREDENTIAL_TEST_POLICY = { timeoutMs: 20_000, maxBytes: MODEL_LIST_POLICY.maxBytes };

/** The longest wait the node takes for a server; one asking for more is not retried at all. */
export const MAX_SERVER_WAIT_MS = 60_000;

/**
 * The largest image sent, as a file or as a data: URL: providers refuse much larger ones,
 * and as a data URL it grows by a third. Checked before any request.
 */
export const MAX_IMAGE_BYTES = 20 * MB;

/**
 * How deep JSON may nest, in an answer or in a JSON option: real chat bodies nest a few
 * levels, while a hostile 100,000 would overflow the stack of every recursive reader.
 */
export const MAX_JSON_DEPTH = 100;

/**
 * Batch result files hold every reply of a job (a 50,000-request job can weigh hundreds of
 * MB): they get their own cap, far above a chat answer's, still below what a string can hold.
 */
export const BATCH_FILE_MAX_BYTES = 512 * MB;

/** A batch file read may take minutes on a slow link; each still has a bound. */
export const BATCH_FILE_TIMEOUT_MS = 600_000;

/** Polling a batch job: the first wait, how it grows, and the longest wait between polls. */
export const DEFAULT_BATCH_POLL_SECONDS = 30;
export const BATCH_POLL_BACKOFF = 1.5;
export const MAX_BATCH_POLL_MS = 10 * 60_000;

/** After the node cancels a job it waits this long for the provider to hand over finished lines. */
export const BATCH_CANCEL_GRACE_MS = 120_000;

/** A fallback model's turn: after this many consecutive failures a model is skipped for a while. */
export const FALLBACK_FAILURES_BEFORE_COOL_DOWN = 3;
/** How long a model that kept failing is skipped (then it gets one more chance). */
export const FALLBACK_COOL_DOWN_MS = 60_000;
/** The most models (per credential) whose failures are remembered: bounded memory. */
export const MAX_COOL_DOWN_ENTRIES = 1_000;

/** Price lists come from the model list, fetched once per credential and kept this long. */
export const PRICE_LIST_TTL_MS = 60 * 60_000;
/** A model list that could not be read is asked again only after this long, not once per item. */
export const PRICE_LIST_RETRY_MS = 5 * 60_000;
/** The most credentials whose price lists are kept. */
export const MAX_PRICE_LISTS = 50;
/** The most executions whose spending is remembered (Budget per Execution). */
export const MAX_BUDGETS = 1_000;
