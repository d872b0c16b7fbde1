import type { IDataObject } from 'n8n-workflow';

import { BodyFailure, boundedChunks, TIMED_OUT, TOO_LARGE } from '../transport/body';
import { streamRedactor } from '../transport/redactStream';
import type { StreamReader } from '../transport/send';
import { readSse, sseData } from '../transport/sse';
import { STREAM_CUT, STREAM_ERROR } from '../transport/streamFailures';
import { StreamedCompletion } from './streamedCompletion';
import { ThinkSplitter } from './thinkSplitter';

/**
 * The streamed route, end to end: the transport (`transport/send.ts`) hands a 2xx
 * event stream to this reader; `transport/body.ts` bounds its bytes and time,
 * `transport/sse.ts` parses its events, `streamedCompletion.ts` assembles the chunks,
 * `thinkSplitter.ts` keeps <think> out of the text, `transport/redactStream.ts` masks
 * secrets before anything is relayed, and the node's relay sends the deltas on.
 */

export interface ReplyDelta {
	text?: string;
	reasoning?: string;
}

/**
 * Reads a streamed chat completion: relays each delta as it arrives, masked, and
 * returns the same completion object a plain request would have, so the output is
 * identical. Timeout bounds the whole stream, not only the wait for its first byte.
 */
export function chatStreamReader(relay: (delta: ReplyDelta) => Promise<void>): StreamReader {
	return async (body, { deadline, maxBytes, redact }) => {
		const completion = new StreamedCompletion();
		const think = new ThinkSplitter();
		const text = streamRedactor(redact);
		const reasoning = streamRedactor(redact);
		let relayed = false;
		const send = async (delta: ReplyDelta) => {
			const masked: ReplyDelta = {
				text: delta.text ? text.push(delta.text) : undefined,
				reasoning: delta.reasoning ? reasoning.push(delta.reasoning) : undefined,
			};
			if (!masked.text && !masked.reasoning) return;
			relayed ||= masked.text !== undefined && masked.text !== '';
			await relay(masked);
		};
		try {
			for await (const event of readSse(boundedChunks(body, deadline, maxBytes))) {
				const data = sseData(event);
				if (data.kind === 'done') break;
				if (data.kind === 'error') {
					return { failure: { code: STREAM_ERROR, message: data.message } };
				}
				if (data.kind !== 'chunk') continue;
				const added = completion.add(data.value as IDataObject);
				const split = added.text ? think.push(added.text) : {};
				await send({
					text: split.text,
					reasoning: (added.reasoning ?? '') + (split.reasoning ?? '') || undefined,
				});
			}
			await send(think.flush());
			const rest = { text: text.flush(), reasoning: reasoning.flush() };
			if (rest.text || rest.reasoning) await relay(rest);
		} catch (error) {
			const failure =
				error instanceof BodyFailure
					? error
					: {
							code: deadline.expired ? TIMED_OUT : 'ECONNRESET',
							message: (error as Error).message,
						};
			// Once text went on, a retry would send it twice: a cut, unless the answer was too large.
			const cut = relayed && failure.code !== TOO_LARGE;
			return { failure: { code: cut ? STREAM_CUT : failure.code, message: failure.message } };
		}
		return { body: completion.result() };
	};
}
