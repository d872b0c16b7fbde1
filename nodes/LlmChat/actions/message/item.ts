// One item's chat input, read and checked before anything is sent: shared by real-time and batch.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ChatSettings } from '../../../shared/chat/completeChat';
import { readChatSettings } from '../../../shared/chat/completeChat';
import { failFor } from '../../../shared/chat/validation';
import type { Provider } from '../../../shared/providers';
import type { ReadParameter } from '../../helpers/parameters';
import { offeredOptions } from './description';
import { imageReader } from './images';
import { jsonCheckFor } from './jsonReply';
import { readMessages } from './messages';

export type ItemInput = Awaited<ReturnType<ReturnType<typeof itemReader>>>;

/**
 * Reads one item's model, options, messages and JSON check. Its images are read when the
 * item's turn comes, not for all items up front.
 */
export function itemReader(
	ctx: IExecuteFunctions,
	provider: Provider,
	read: ReadParameter,
	requestsPerMinute: number,
) {
	return async (itemIndex: number) => {
		const fail = failFor(ctx.getNode(), itemIndex);
		const itemOptions = read('options', itemIndex, {}) as IDataObject;
		const settings: ChatSettings = readChatSettings(
			read('model', itemIndex, '', { extractValue: true }),
			itemOptions,
			provider,
			{ requestsPerMinute, offers: offeredOptions },
			fail,
		);
		return {
			fail,
			settings,
			messages: await readMessages(read, itemIndex, fail, imageReader(ctx, itemIndex)),
			jsonCheck: jsonCheckFor(settings.options, itemOptions, fail, itemIndex),
			itemOptions,
		};
	};
}
