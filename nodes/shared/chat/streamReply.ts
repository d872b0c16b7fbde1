import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { STREAM_CUT, STREAM_ERROR } from '../transport/streamFailures';
import type { StreamReader } from '../transport/send';
import { readSse, sseData } from '../transport/sse';
import { StreamedCompletion } from './streamedCompletion';
import { ThinkSplitter } from './thinkSplitter';

export interface ReplyDelta {
	text?: string;
	reasoning?: string;
}

const STREAM_TIMEOUT = 'ETIMEDOUT';

/**
 * Reads a streamed chat completion: relays each delta as it arrives and returns the
 * same completion object a plain request would have, so the output is identical.
 * Timeout bounds the whole stream, not only the wait for its first byte.
 */
export function chatStreamReader(relay: (delta: ReplyDelta) => Promise<void>): StreamReader {
	return async (body, timeoutMs) => {
		const completion = new StreamedCompletion();
		const think = new ThinkSplitter();
		let relayed = false;
		let timedOut = false;
		const streamEnded = new AbortController();
		// n8n's response body wraps the socket (axios, Readable.from): destroying it does not
		// end a read that waits on a stalled server, so each read races the deadline instead.
		const deadline = sleep(timeoutMs, streamEnded.signal).then(
			() => {
				timedOut = true;
				(body as { destroy?: (error: Error) => void }).destroy?.(new Error('stream timeout'));
				return STREAM_TIMEOUT;
			},
			() => undefined,
		);
		const events = readSse(body)[Symbol.asyncIterator]();
		try {
			for (;;) {
				const next = await Promise.race([events.next(), deadline]);
				if (typeof next === 'string') throw new Error('stream timeout');
				if (next === undefined || next.done === true) break;
				const data = sseData(next.value);
				if (data.kind === 'done') break;
				if (data.kind === 'error') {
					return { failure: { code: STREAM_ERROR, message: data.message } };
				}
				if (data.kind !== 'chunk') continue;
				const added = completion.add(data.value as IDataObject);
				const split = added.text ? think.push(added.text) : {};
				const reasoning = (added.reasoning ?? '') + (split.reasoning ?? '');
				const delta: ReplyDelta = { text: split.text, reasoning: reasoning || undefined };
				if (delta.text || delta.reasoning) {
					relayed ||= delta.text !== undefined && delta.text !== '';
					await relay(delta);
				}
			}
			const rest = think.flush();
			if (rest.text || rest.reasoning) await relay(rest);
		} catch (error) {
			const message = timedOut ? 'timeout: the stream was still running' : (error as Error).message;
			const retryable = timedOut ? STREAM_TIMEOUT : 'ECONNRESET';
			return { failure: { code: relayed ? STREAM_CUT : retryable, message } };
		} finally {
			streamEnded.abort();
			// Closes the body when the loop stopped early; after a timeout it waits for the socket.
			void events.return(undefined).catch(() => {});
		}
		if (timedOut) return { failure: { code: STREAM_TIMEOUT, message: 'stream timeout' } };
		return { body: completion.result() };
	};
}
