/** How a streamed reply can fail beyond a broken connection, and what the error then says. */
import { STREAM_CUT, STREAM_ERROR } from './body';
import type { OfferedOptions } from './hints';

export { STREAM_CUT, STREAM_ERROR } from './body';

export const STREAM_FAILURES: Record<
	string,
	{ what: string; hint: (offers: OfferedOptions | undefined) => string }
> = {
	[STREAM_ERROR]: {
		what: 'reported an error in the middle of the streamed reply',
		hint: () =>
			'The provider stopped the reply with an error. It is usually temporary: run the item again.',
	},
	[STREAM_CUT]: {
		what: 'streamed reply broke off after part of it had been sent on',
		hint: (offers) => {
			const raise = offers?.timeout
				? `Raise "${offers.timeout}" if the reply needs longer; otherwise run`
				: 'Run';
			return `Not retried: the part already streamed to the chat or webhook cannot be taken back. ${raise} the item again.`;
		},
	},
};
