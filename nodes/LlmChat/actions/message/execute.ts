import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { readChatOptions, readRequestSettings } from '../../../shared/chat/options';
import { buildChatBody } from '../../../shared/chat/request';
import { isChatCompletion, simplifyCompletion } from '../../../shared/chat/response';
import { chatStreamReader } from '../../../shared/chat/streamReply';
import { failFor } from '../../../shared/chat/validation';
import { DEFAULT_MAX_CONCURRENCY } from '../../../shared/defaults';
import type { Provider } from '../../../shared/providers';
import { rateLimitFor } from '../../../shared/rateLimit';
import { apiRequest, resolveEndpoint } from '../../../shared/transport';
import { parameterReader } from '../../helpers/parameters';
import { mapConcurrent } from '../../helpers/pool';
import { failedItem } from '../itemError';
import { readMessages } from './messages';

const CHAT_COMPLETION = { what: 'a chat completion', check: isChatCompletion };

export async function execute(
	this: IExecuteFunctions,
	provider: Provider,
): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	if (items.length === 0) return [];
	// Settled once, awaited by each item: a credential problem then fails every item on its own,
	// so Continue On Fail still pairs each one (and no rejection is left unhandled).
	const endpoint = resolveEndpoint.call(this, provider).then(
		(resolved) => ({ resolved }),
		(error: unknown) => ({ error }),
	);
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	const concurrency =
		typeof options.maxConcurrency === 'number' ? options.maxConcurrency : DEFAULT_MAX_CONCURRENCY;
	const perMinute =
		typeof options.requestsPerMinute === 'number' ? Math.floor(options.requestsPerMinute) : 0;
	const continueOnFail = this.continueOnFail();
	const read = parameterReader(this);
	// Behind a streaming webhook or chat, n8n relays what the node sends (n8n >= 1.105).
	const streaming = typeof this.isStreaming === 'function' && this.isStreaming();

	/** One item's request, checked before anything is sent. */
	const prepare = (itemIndex: number) => {
		const fail = failFor(this.getNode(), itemIndex);
		const itemOptions = read('options', itemIndex, {}) as IDataObject;
		const model = String(read('model', itemIndex, '', { extractValue: true }) ?? '').trim();
		if (model === '' && provider.modelRequired) {
			fail(
				'Model is required',
				`Choose a model from the list or enter its ID (${provider.displayName}).`,
			);
		}
		const messages = readMessages(read, itemIndex, fail);
		const chatOptions = readChatOptions(itemOptions, provider, fail);
		return {
			body: buildChatBody(provider, model, messages, chatOptions),
			settings: readRequestSettings(itemOptions, fail),
			parseJson: chatOptions.responseFormat.type !== 'text',
		};
	};

	const answer = async (itemIndex: number): Promise<IDataObject> => {
		const { body, settings, parseJson } = prepare(itemIndex);
		const settled = await endpoint;
		if ('error' in settled) throw settled.error;
		const target = settled.resolved;
		const completion = (await apiRequest.call(
			this,
			target,
			'POST',
			provider.chatPath,
			streaming ? streamingBody(provider, body) : body,
			{
				...settings,
				rateLimit: rateLimitFor(target.rateLimitKey, perMinute),
				itemIndex,
				expect: CHAT_COMPLETION,
				readStream: streaming ? relayTo(this, itemIndex) : undefined,
			},
		)) as IDataObject;
		if (!(read('simplify', itemIndex, true) as boolean)) return completion;
		return simplifyCompletion(this.getNode(), completion, parseJson, itemIndex);
	};

	return await mapConcurrent(items.length, concurrency, async (itemIndex) => {
		try {
			if (streaming) await this.sendChunk('begin', itemIndex);
			const json = await answer(itemIndex);
			if (streaming) await this.sendChunk('end', itemIndex);
			return { json, pairedItem: { item: itemIndex } };
		} catch (error) {
			if (streaming) await this.sendChunk('error', itemIndex, (error as Error).message);
			return failedItem(this, error, itemIndex, continueOnFail);
		}
	});
}

function streamingBody(provider: Provider, body: IDataObject): IDataObject {
	return {
		...body,
		stream: true,
		...(provider.streamOptions ? { stream_options: provider.streamOptions } : {}),
	};
}

/** Each text delta goes to n8n's response stream as it arrives; reasoning stays out of the text. */
function relayTo(ctx: IExecuteFunctions, itemIndex: number) {
	return chatStreamReader(async (delta) => {
		if (delta.text) await ctx.sendChunk('item', itemIndex, delta.text);
	});
}
