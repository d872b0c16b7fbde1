/** One dispatched Server-Sent Event. */
export interface SseEvent {
	event?: string;
	data: string;
	id?: string;
}

/**
 * A Server-Sent Events parser that takes bytes as they come. Network chunks split
 * anywhere: inside a line, between CR and LF, inside a UTF-8 character. The
 * decoder keeps partial characters and the parser keeps partial lines.
 */
export class SseParser {
	private readonly decoder = new TextDecoder();
	private buffer = '';
	private data: string[] = [];
	private event: string | undefined;
	private id: string | undefined;

	push(bytes: Uint8Array): SseEvent[] {
		return this.consume(this.decoder.decode(bytes, { stream: true }), false);
	}

	/** The stream ended: a last event without its blank line is still dispatched. */
	end(): SseEvent[] {
		const events = this.consume(this.decoder.decode(), true);
		if (this.buffer !== '') events.push(...this.line(this.buffer));
		this.buffer = '';
		const last = this.dispatch();
		return last ? [...events, last] : events;
	}

	private consume(text: string, final: boolean): SseEvent[] {
		this.buffer += text;
		const events: SseEvent[] = [];
		let start = 0;
		for (let index = 0; index < this.buffer.length; index++) {
			const char = this.buffer[index];
			if (char !== '\n' && char !== '\r') continue;
			// A CR at the end of what has arrived may be the first half of a CRLF.
			if (char === '\r' && index === this.buffer.length - 1 && !final) break;
			events.push(...this.line(this.buffer.slice(start, index)));
			if (char === '\r' && this.buffer[index + 1] === '\n') index++;
			start = index + 1;
		}
		this.buffer = this.buffer.slice(start);
		return events;
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
		value = JSON.parse(event.data);
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
