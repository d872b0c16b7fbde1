import { MAX_JSON_DEPTH } from '../defaults';
import { parseJsonBounded } from '../json';

/** One dispatched Server-Sent Event. */
export interface SseEvent {
	event?: string;
	data: string;
	id?: string;
}

/** A line ends at CRLF, LF or CR (searched natively, not char by char). */
const LINE_END = /\r\n|\n|\r/g;

/**
 * A Server-Sent Events parser that takes bytes as they come. Network chunks split
 * anywhere: inside a line, between CR and LF, inside a UTF-8 character. The decoder
 * keeps partial characters and the parser keeps partial lines. Linear in its input:
 * each chunk is scanned once, and a line arriving in many pieces is joined once, at
 * its end (a line with no end is bounded by the caller's size cap).
 */
export class SseParser {
	private readonly decoder = new TextDecoder();
	/** The start of a line whose end has not arrived yet, in pieces. */
	private partial: string[] = [];
	/** The last chunk ended on a CR: a LF opening the next one belongs to it. */
	private afterCr = false;
	private data: string[] = [];
	private event: string | undefined;
	private id: string | undefined;

	push(bytes: Uint8Array): SseEvent[] {
		return this.consume(this.decoder.decode(bytes, { stream: true }));
	}

	/** The stream ended: a last event without its blank line is still dispatched. */
	end(): SseEvent[] {
		const events = this.consume(this.decoder.decode());
		if (this.partial.length > 0) events.push(...this.line(this.takeLine('')));
		const last = this.dispatch();
		return last ? [...events, last] : events;
	}

	private consume(text: string): SseEvent[] {
		const events: SseEvent[] = [];
		let start = 0;
		if (this.afterCr && text.startsWith('\n')) start = 1;
		if (text !== '') this.afterCr = false;
		LINE_END.lastIndex = start;
		for (let found = LINE_END.exec(text); found; found = LINE_END.exec(text)) {
			const end = found.index;
			events.push(...this.line(this.takeLine(text.slice(start, end))));
			start = end + found[0].length;
			// A CR closing the chunk may be the first half of a CRLF split across two chunks.
			if (found[0] === '\r' && start === text.length) this.afterCr = true;
		}
		if (start < text.length) this.partial.push(text.slice(start));
		return events;
	}

	private takeLine(end: string): string {
		if (this.partial.length === 0) return end;
		this.partial.push(end);
		const line = this.partial.join('');
		this.partial = [];
		return line;
	}

	private line(line: string): SseEvent[] {
		if (line === '') {
			const event = this.dispatch();
			return event ? [event] : [];
		}
		if (line.startsWith(':')) return []; // a comment, such as a keep-alive
		const colon = line.indexOf(':');
		const field = colon === -1 ? line : line.slice(0, colon);
		let value = colon === -1 ? '' : line.slice(colon + 1);
		if (value.startsWith(' ')) value = value.slice(1);
		if (field === 'data') this.data.push(value);
		else if (field === 'event') this.event = value;
		else if (field === 'id') this.id = value;
		return [];
	}

	private dispatch(): SseEvent | undefined {
		if (this.data.length === 0 && this.event === undefined) return undefined;
		const event: SseEvent = { data: this.data.join('\n') };
		if (this.event !== undefined) event.event = this.event;
		if (this.id !== undefined) event.id = this.id;
		this.data = [];
		this.event = undefined;
		return event;
	}
}

/** The events of a byte stream, in order, as they complete. */
export async function* readSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
	const parser = new SseParser();
	for await (const bytes of body) yield* parser.push(bytes);
	yield* parser.end();
}

export type SseData =
	| { kind: 'done' }
	| { kind: 'error'; message: string }
	| { kind: 'chunk'; value: Record<string, unknown> }
	| { kind: 'other' };

/**
 * What an OpenAI-style stream event means: `[DONE]`, an error (an `error` event or
 * a JSON error object, as OpenAI, Together and TGI send mid-stream), or a chunk.
 */
export function sseData(event: SseEvent): SseData {
	if (event.data.trim() === '[DONE]') return { kind: 'done' };
	let value: unknown;
	try {
		// Each event is bounded like a whole answer: nothing nested deeper than MAX_JSON_DEPTH.
		value = parseJsonBounded(event.data, MAX_JSON_DEPTH);
	} catch {
		return event.event === 'error' ? { kind: 'error', message: event.data } : { kind: 'other' };
	}
	const object =
		typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
	if (event.event === 'error' || (object.error !== undefined && object.error !== null)) {
		return { kind: 'error', message: errorMessage(object.error ?? object) };
	}
	return typeof value === 'object' && value !== null && !Array.isArray(value)
		? { kind: 'chunk', value: object }
		: { kind: 'other' };
}

function errorMessage(error: unknown): string {
	if (typeof error === 'string') return error;
	const message = (error as { message?: unknown })?.message;
	return typeof message === 'string' ? message : JSON.stringify(error);
}
