import type { Redactor } from './redact';

/** Text that arrives in pieces (streamed deltas), masked before any piece goes on. */
export interface StreamRedactor {
	/** The part of the text so far that is safe to relay, masked. */
	push(piece: string): string;
	/** The end of the stream: what was held back, masked. */
	flush(): string;
}

/**
 * A secret may be split across two deltas, so the end of the text that could be the
 * start of a secret is held back until more text arrives: then any secret that starts
 * in the relayed part ends in it too, and is masked whole. At most (longest secret
 * form − 1) characters wait, and in ordinary text next to none.
 */
export function streamRedactor(redact: Redactor): StreamRedactor {
	let pending = '';
	return {
		push(piece) {
			pending += piece;
			let cut = pending.length - redact.partialAtEnd(pending);
			if (cut <= 0) return '';
			// A secret already whole in the text but crossing the cut goes out with it, masked.
			for (const [start, end] of redact.spans(pending)) if (start < cut && end > cut) cut = end;
			const safe = pending.slice(0, cut);
			pending = pending.slice(cut);
			return redact.text(safe);
		},
		flush() {
			const rest = redact.text(pending);
			pending = '';
			return rest;
		},
	};
}
