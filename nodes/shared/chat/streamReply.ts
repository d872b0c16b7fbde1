import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { STREAM_CUT, STREAM_ERROR } from '../transport/errors';
import type { StreamReader } from '../transport/send';
import { readSse, sseData } from '../transport/sse';
import { StreamedCompletion } from './streamedCompletion';

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
		let relayed = false;
		let timedOut = false;
		const streamEnded = new AbortController();
		void sleep(timeoutMs, streamEnded.signal).then(
			() => {
				timedOut = true;
				(body as { destroy?: (error: Error) => void }).destroy?.(new Error('stream timeout'));
			},
			() => {},
		);
		try {
			for await (const event of readSse(body)) {
				const data = sseData(event);
				if (data.kind === 'done') break;
				if (data.kind === 'error') {
					return { failure: { code: STREAM_ERROR, message: data.message } };
				}
				if (data.kind !== 'chunk') continue;
				const delta = completion.add(data.value as IDataObject);
				if (delta.text || delta.reasoning) {
					relayed ||= delta.text !== undefined && delta.text !== '';
					await relay(delta);
				}
			}
		} catch (error) {
			const message = timedOut ? 'timeout: the stream was still running' : (error as Error).message;
			const retryable = timedOut ? STREAM_TIMEOUT : 'ECONNRESET';
			return { failure: { code: relayed ? STREAM_CUT : retryable, message } };
		} finally {
			streamEnded.abort();
		}
		if (timedOut) return { failure: { code: STREAM_TIMEOUT, message: 'stream timeout' } };
		return { body: completion.result() };
	};
}
