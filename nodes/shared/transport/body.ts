import { MAX_JSON_DEPTH, MB } from '../defaults';
import { pruneNesting } from '../json';
import type { Deadline } from './deadline';
import { EXPIRED } from './deadline';

/** Reading a response body within the attempt's bounds: its deadline, and a cap on the decompressed bytes. */

/** The answer went past the size cap: not retried, a second try would be as large. */
export const TOO_LARGE = 'ETOOLARGE';
export const TIMED_OUT = 'ETIMEDOUT';

/** Why reading a body stopped early; `code` says how the transport classifies it. */
export class BodyFailure extends Error {
	constructor(
		readonly code: string,
		message: string,
	) {
		super(message);
	}
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
		(body as { destroy?: () => void }).destroy?.();
		void chunks.return?.(undefined)?.catch(() => {});
	}
}

/** A whole body as text, within the bounds. */
export async function readBoundedText(
	body: AsyncIterable<Uint8Array>,
	deadline: Deadline,
	maxBytes: number,
): Promise<string> {
	const decoder = new TextDecoder();
	const parts: string[] = [];
	for await (const chunk of boundedChunks(body, deadline, maxBytes))
		parts.push(decoder.decode(chunk, { stream: true }));
	parts.push(decoder.decode());
	return parts.join('');
}

/** JSON when it parses (nesting past MAX_JSON_DEPTH cut off), the text otherwise. */
export function parseBody(text: string): unknown {
	if (text.trim() === '') return '';
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return text;
	}
	return pruneNesting(value, MAX_JSON_DEPTH);
}
