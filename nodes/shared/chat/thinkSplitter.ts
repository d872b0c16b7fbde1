const OPEN = '<think>';
const CLOSE = '</think>';

export interface SplitPiece {
	text?: string;
	reasoning?: string;
}

/**
 * Splits a streamed reply that opens with a <think>…</think> block (DeepSeek-R1, Qwen3)
 * into reasoning and answer while it arrives, so the block is never relayed as answer
 * text. A tag may be cut anywhere between two pieces; the end result is what
 * `splitReasoning` makes of the whole reply.
 */
export class ThinkSplitter {
	private state: 'start' | 'thinking' | 'afterThink' | 'answer' = 'start';
	private held = '';
	/** At the start, only whitespace has arrived: held is not rescanned for every blank piece. */
	private blank = true;

	push(piece: string): SplitPiece {
		if (this.state === 'answer') return piece === '' ? {} : { text: piece };
		// A reply that opens with whitespace only (a hostile or degenerate one, megabytes of it)
		// costs a scan of each piece, not of everything held: linear, not quadratic.
		if (this.state === 'start' && this.blank && piece.trim() === '') {
			this.held += piece;
			return {};
		}
		this.blank = false;
		this.held += piece;
		const out: SplitPiece = {};
		for (;;) {
			if (this.state === 'start') {
				const trimmed = this.held.trimStart();
				// Not yet known whether the reply opens with the tag: keep it until it is.
				if (trimmed === '' || (trimmed.length < OPEN.length && OPEN.startsWith(trimmed))) break;
				if (trimmed.startsWith(OPEN)) {
					this.state = 'thinking';
					this.held = trimmed.slice(OPEN.length);
					continue;
				}
				this.state = 'answer';
				add(out, 'text', this.take(this.held.length));
				break;
			}
			if (this.state === 'thinking') {
				const end = this.held.indexOf(CLOSE);
				if (end >= 0) {
					add(out, 'reasoning', this.take(end));
					this.held = this.held.slice(CLOSE.length);
					this.state = 'afterThink';
					continue;
				}
				// What may be the start of </think> waits for the next piece.
				add(out, 'reasoning', this.take(this.held.length - partialTagLength(this.held)));
				break;
			}
			// afterThink: the whitespace between the block and the answer is not part of either.
			this.held = this.held.trimStart();
			if (this.held === '') break;
			this.state = 'answer';
			add(out, 'text', this.take(this.held.length));
			break;
		}
		return out;
	}

	/** What is still held when the stream ends. */
	flush(): SplitPiece {
		const rest = this.take(this.held.length);
		if (rest === '' || this.state === 'afterThink') return {};
		return this.state === 'thinking' ? { reasoning: rest } : { text: rest };
	}

	private take(length: number): string {
		const taken = this.held.slice(0, length);
		this.held = this.held.slice(length);
		return taken;
	}
}

function add(out: SplitPiece, field: keyof SplitPiece, value: string) {
	if (value !== '') out[field] = (out[field] ?? '') + value;
}

/** How many trailing characters could begin `</think>`. */
function partialTagLength(text: string): number {
	for (let length = Math.min(CLOSE.length - 1, text.length); length > 0; length--) {
		if (CLOSE.startsWith(text.slice(-length))) return length;
	}
	return 0;
}
