import type { IDataObject, IHttpRequestMethods, IN8nHttpFullResponse } from 'n8n-workflow';

import { MAX_JSON_DEPTH } from '../defaults';
import { pruneNesting } from '../json';
import { BodyFailure, closeBody, parseBody, readBoundedText, TIMED_OUT } from './body';
import { Deadline, EXPIRED } from './deadline';
import type { Endpoint, RequestContext } from './endpoint';
import type { Redactor } from './redact';

export type Attempt =
	| { kind: 'response'; status: number; body: unknown; headers: IDataObject }
	| { kind: 'network'; code?: string; message: string };

export interface OutgoingRequest {
	method: IHttpRequestMethods;
	url: string;
	/** JSON, or text sent as it is (a batch file upload, built with its own content type). */
	body?: IDataObject | string;
	/** Added to the credential's headers (the content type of a text body). */
	headers?: IDataObject;
	/** A 2xx body is returned as text, not parsed (a batch result file is JSON Lines). */
	asText?: boolean;
	/** The whole attempt, from sending to the last byte read. */
	timeoutMs: number;
	/** The most the answer may weigh, decompressed. */
	maxBytes: number;
}

/** What a stream reader must keep to: the attempt's deadline and size cap, and the redactor. */
export interface StreamBounds {
	deadline: Deadline;
	maxBytes: number;
	redact: Redactor;
}

/**
 * Reads a 2xx body that arrives as a stream (when n8n streams the reply) into the
 * same value a plain request returns. It throws when the stream fails after text
 * was relayed, which no retry may repeat; a failure before that is returned as a
 * network failure, retried like any other.
 */
export type StreamReader = (
	body: AsyncIterable<Uint8Array>,
	bounds: StreamBounds,
) => Promise<{ body: unknown } | { failure: { code?: string; message: string } }>;

/**
 * The only place that sends: the credential's authenticate adds the key and custom
 * headers, and n8n ties the request to the execution's cancel signal. The body is
 * read here under the attempt's bounds, and what comes back is redacted here, before
 * any error, output or log can be built from it.
 */
export async function sendOnce(
	ctx: RequestContext,
	endpoint: Endpoint,
	request: OutgoingRequest,
	readStream?: StreamReader,
): Promise<Attempt> {
	const cancel = 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
	const deadline = new Deadline(request.timeoutMs, cancel);
	try {
		return await attempt(ctx, endpoint, request, deadline, readStream);
	} finally {
		deadline.clear();
	}
}

async function attempt(
	ctx: RequestContext,
	endpoint: Endpoint,
	request: OutgoingRequest,
	deadline: Deadline,
	readStream: StreamReader | undefined,
): Promise<Attempt> {
	const sending = ctx.helpers.httpRequestWithAuthentication.call(
		withCancelSignal(ctx, deadline.signal),
		endpoint.provider.credentialType,
		{
			method: request.method,
			url: request.url,
			body: request.body,
			...(request.headers ? { headers: request.headers } : {}),
			json: true,
			// n8n's own timeout covers connecting and idle sockets; the deadline covers the rest.
			timeout: request.timeoutMs,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// A chat API does not redirect; following one would turn a POST into a GET and,
			// across origins, hand the API key to another host. It is reported instead.
			disableFollowRedirect: true,
			// Always read as a stream: only so can the package bound its size and duration.
			encoding: 'stream',
		},
		{ credentialsDecrypted: endpoint.credentials },
	) as Promise<IN8nHttpFullResponse>;
	let response: IN8nHttpFullResponse;
	try {
		const raced = await deadline.race(sending);
		if (raced === EXPIRED) {
			void sending.then(
				(late) => closeBody(late?.body),
				() => {},
			);
			return timedOut(endpoint, 'timeout: no answer arrived');
		}
		response = raced;
	} catch (error) {
		if (deadline.expired) return timedOut(endpoint, 'timeout: no answer arrived');
		return networkAttempt(endpoint, networkErrorCode(error));
	}
	const headers = endpoint.redact.deep((response.headers ?? {}) as IDataObject);
	let body: unknown = response.body;
	if (isStream(body)) {
		try {
			const ok = response.statusCode >= 200 && response.statusCode < 300;
			if (readStream && ok && isEventStream(headers)) {
				const read = await readStream(body, {
					deadline,
					maxBytes: request.maxBytes,
					redact: endpoint.redact,
				});
				if ('failure' in read) return networkAttempt(endpoint, read.failure);
				body = read.body;
			} else {
				// Plain replies, errors, and a server that ignored `stream: true`: read whole, parsed.
				const text = await readBoundedText(body, deadline, request.maxBytes);
				body = request.asText && ok ? text : parseBody(text);
			}
		} catch (error) {
			if (error instanceof BodyFailure) return networkAttempt(endpoint, error);
			if (deadline.expired) return timedOut(endpoint, 'timeout: the answer was still arriving');
			return networkAttempt(endpoint, networkErrorCode(error));
		}
	} else {
		// Already parsed by n8n (an evaluation's mocked answer): still nothing too deep.
		body = pruneNesting(body, MAX_JSON_DEPTH);
	}
	return {
		kind: 'response',
		status: response.statusCode,
		body: endpoint.redact.deep(body),
		headers,
	};
}

/**
 * n8n ties every request to the context's cancel signal, overwriting any signal in the
 * options; a context whose signal also fires at the deadline lets the Timeout close the
 * socket while headers or body are still trickling in.
 */
function withCancelSignal(ctx: RequestContext, signal: AbortSignal): RequestContext {
	const bound = Object.create(ctx) as RequestContext;
	// Defined, not assigned: the context may itself be such a wrapper, whose property is read-only.
	Object.defineProperty(bound, 'getExecutionCancelSignal', { value: () => signal });
	return bound;
}

function timedOut(endpoint: Endpoint, message: string): Attempt {
	return networkAttempt(endpoint, { code: TIMED_OUT, message });
}

function networkAttempt(endpoint: Endpoint, failure: { code?: string; message: string }): Attempt {
	return { kind: 'network', code: failure.code, message: endpoint.redact.text(failure.message) };
}

/** n8n-core wraps transport errors; the socket's code sits somewhere in the cause chain. */
export function networkErrorCode(error: unknown): { code?: string; message: string } {
	let current = error as { code?: unknown; cause?: unknown; message?: unknown } | undefined;
	let message = current?.message === undefined ? String(error) : String(current.message);
	for (let depth = 0; current && depth < 5; depth++) {
		if (typeof current.code === 'string' && /^[A-Z_]+$/.test(current.code)) {
			if (typeof current.message === 'string') message = current.message;
			return { code: current.code, message };
		}
		current = current.cause as typeof current;
	}
	return { message };
}

export function isStream(body: unknown): body is AsyncIterable<Uint8Array> {
	return typeof (body as AsyncIterable<Uint8Array>)?.[Symbol.asyncIterator] === 'function';
}

function isEventStream(headers: IDataObject): boolean {
	return String(headers['content-type'] ?? '').includes('text/event-stream');
}
