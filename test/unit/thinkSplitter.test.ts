import { splitReasoning } from '../../nodes/shared/chat/response';
import { ThinkSplitter } from '../../nodes/shared/chat/thinkSplitter';

/** Feeds the reply in the given pieces and joins what came out of each side. */
function feed(pieces: string[]) {
	const splitter = new ThinkSplitter();
	let text = '';
	let reasoning = '';
	for (const out of [...pieces.map((piece) => splitter.push(piece)), splitter.flush()]) {
		text += out.text ?? '';
		reasoning += out.reasoning ?? '';
	}
	return { text, reasoning };
}

const REPLIES = [
	'<think>\nTwo and two make four.\n</think>\n\nFour.',
	'  <think>short</think>Answer right after the tag',
	'<think>a < b and </thin is not the end</think>\nDone.',
	'No reasoning here, just <think> in the middle.',
	'<thinking is not the tag',
	'<think>never closed',
	'<think></think>',
	'',
];

describe('ThinkSplitter', () => {
	it.each(REPLIES)('%j split at every point gives what the whole reply gives', (reply) => {
		const whole = splitReasoning({ content: reply });
		for (let cut = 0; cut <= reply.length; cut++) {
			for (const pieces of [
				[reply.slice(0, cut), reply.slice(cut)],
				[...reply.slice(0, cut)].concat(reply.slice(cut)),
			]) {
				const { text, reasoning } = feed(pieces);
				if (reply.includes('</think>') || !reply.trimStart().startsWith('<think>')) {
					expect(text).toBe(whole.text);
					expect(reasoning.trim()).toBe(whole.reasoning ?? '');
				} else {
					// An unclosed block: all of it is reasoning while it streams; nothing leaks as text.
					expect(text).toBe('');
					expect(reasoning).toBe(reply.trimStart().slice('<think>'.length));
				}
			}
		}
	});

	it('relays the answer as soon as it starts, not at the end', () => {
		const splitter = new ThinkSplitter();
		expect(splitter.push('<thi')).toEqual({});
		expect(splitter.push('nk>Let me')).toEqual({ reasoning: 'Let me' });
		expect(splitter.push(' see.</th')).toEqual({ reasoning: ' see.' });
		expect(splitter.push('ink>\n\nPar')).toEqual({ text: 'Par' });
		expect(splitter.push('is.')).toEqual({ text: 'is.' });
	});
});
