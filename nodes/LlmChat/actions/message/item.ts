// One item's chat input, read and checked before anything is sent: shared by real-time and batch.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readChatOptions, readRequestSettings } from '../../../shared/chat/options';
import { failFor } from '../../../shared/chat/validation';
import type { Provider } from '../../../shared/providers';
import type { ReadParameter } from '../../helpers/parameters';
import { imageReader } from './images';
import { jsonCheckFor } from './jsonReply';
import { readMessages } from './messages';

export type ItemInput = Awaited<ReturnType<ReturnType<typeof itemReader>>>;

/**
 * Reads one item's model, messages, options and JSON check. Its images are read when the
 * item's turn comes, not for all items up front.
 */
export function itemReader(ctx: IExecuteFunctions, provider: Provider, read: ReadParameter) {
	return async (itemIndex: number) => {
		const fail = failFor(ctx.getNode(), itemIndex);
		const itemOptions = read('options', itemIndex, {}) as IDataObject;
		const chatOptions = readChatOptions(itemOptions, provider, fail);
		return {
			fail,
			model: String(read('model', itemIndex, '', { extractValue: true }) ?? '').trim(),
			messages: await readMessages(read, itemIndex, fail, imageReader(ctx, itemIndex)),
			chatOptions,
			jsonCheck: jsonCheckFor(chatOptions, itemOptions, fail, itemIndex),
			settings: readRequestSettings(itemOptions, fail),
		};
	};
}
