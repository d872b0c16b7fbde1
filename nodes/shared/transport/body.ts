import { MAX_JSON_DEPTH, MB } from '../defaults';
import { parseJsonBounded } from '../json';
import type { Deadline } from './deadline';
import { EXPIRED } from './deadline';

/** Reading a response body within the attempt's bounds: its deadline, and a cap on the decompressed bytes. */

/** The answer went past the size cap: not retried, a second try would be as large. */
export const TOO_LARGE = 'ETOOLARGE';
export const TIMED_OUT = 'ETIMEDOUT';
/** A failure a stream reports for itself (an error event), as opposed to a broken connection. */
export const STREAM_ERROR = 'ESTREAMERROR';
/** The stream broke off after text had been relayed: what was sent on cannot be taken back. */
export const STREAM_CUT = 'ESTREAMCUT';

/** Why reading a body stopped early; `code` says how the transport classifies it. */
export class BodyFailure extends Error {
	constructor(
		readonly code: string,
		message: string,
	) {
		super(message);
	}
}

/** Closes a response body that will not be read (further): the socket is released. */
export function closeBody(body: unknown): void {
	(body as { destroy?: () => void } | undefined)?.destroy?.();
}

export const formatMegabytes = (bytes: number) =>
	`${Number.isInteger(bytes / MB) ? bytes / MB : (bytes / MB).toFixed(1)} MB`;

/**
 * The body's chunks (decompressed by n8n's HTTP client), each read racing the deadline,
 * their sizes added up; past either bound it throws a BodyFailure and closes the body,
 * so neither a trickle nor a decompression bomb can hold the item or fill the memory.
 */
export async function* boundedChunks(
	body: AsyncIterable<Uint8Array>,
	deadline: Deadline,
	maxBytes: number,
): AsyncGenerator<Uint8Array> {
	const chunks = body[Symbol.asyncIterator]();
	let bytes = 0;
	try {
		for (;;) {
			const next = await deadline.race(chunks.next());
			if (next === EXPIRED)
				throw new BodyFailure(TIMED_OUT, 'timeout: the answer was still arriving');
			if (next.done === true) return;
			bytes += next.value.length;
			if (bytes > maxBytes)
				throw new BodyFailure(TOO_LARGE, `the answer was larger than ${formatMegabytes(maxBytes)}`);
			yield next.value;
		}
	} finally {
		// Ends the socket when reading stopped early; a read still waiting is not awaited.
		closeBody(body);
		void chunks.return?.(undefined)?.catch(() => {});
	}
}

/** A whole body as text, within the bounds. */
export async function readBoundedText(
	body: AsyncIterable<Uint8Array>,
	deadline: Deadline,
	maxBytes: number,
): Promise<string> {
	if (!isReadable(body)) {
		const decoder = new TextDecoder();
		const parts: string[] = [];
		for await (const chunk of boundedChunks(body, deadline, maxBytes))
			parts.push(decoder.decode(chunk, { stream: true }));
		return parts.join('') + decoder.decode();
	}
	// A Node stream is read through its events: cheaper per item than async iteration, and one
	// race against the deadline for the whole body is enough. Its chunks are Buffers, joined
	// and decoded once at the end.
	let bytes = 0;
	const chunks: Buffer[] = [];
	const whole = new Promise<string>((resolve, reject) => {
		body.on('data', (chunk: Buffer) => {
			bytes += chunk.length;
			if (bytes <= maxBytes) return void chunks.push(chunk);
			body.destroy();
			reject(new BodyFailure(TOO_LARGE, `the answer was larger than ${formatMegabytes(maxBytes)}`));
		});
		body.once('end', () =>
			resolve(chunks.length === 1 ? chunks[0].toString() : Buffer.concat(chunks).toString()),
		);
		body.once('error', reject);
		body.once('close', () => reject(new Error('the connection closed before the answer ended')));
	});
	const text = await deadline.race(whole);
	if (text === EXPIRED) {
		body.destroy();
		throw new BodyFailure(TIMED_OUT, 'timeout: the answer was still arriving');
	}
	return text;
}

interface ReadableBody extends AsyncIterable<Uint8Array> {
	on(event: 'data', listener: (chunk: Buffer) => void): unknown;
	once(event: string, listener: (arg?: unknown) => void): unknown;
	destroy(): void;
}

function isReadable(body: AsyncIterable<Uint8Array>): body is ReadableBody {
	const candidate = body as Partial<ReadableBody>;
	return typeof candidate.on === 'function' && typeof candidate.destroy === 'function';
}

/** JSON when it parses (nesting past MAX_JSON_DEPTH cut off), the text otherwise. */
export function parseBody(text: string): unknown {
	if (text.trim() === '') return '';
	try {
		return parseJsonBounded(text, MAX_JSON_DEPTH);
	} catch {
		return text;
	}
}
