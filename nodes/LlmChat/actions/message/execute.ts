import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { checkChatSettings, completeChat } from '../../../shared/chat/completeChat';
import { readRequestsPerMinute } from '../../../shared/chat/options';
import type { ReplyDelta } from '../../../shared/chat/chatStreamReader';
import type { Fail } from '../../../shared/chat/validation';
import { failFor, readNumber } from '../../../shared/chat/validation';
import { DEFAULT_MAX_CONCURRENCY } from '../../../shared/defaults';
import type { Provider } from '../../../shared/providers';
import { resolveEndpoint } from '../../../shared/transport';
import { parameterReader } from '../../helpers/parameters';
import type { SendChunk } from '../../helpers/orderedChunks';
import { orderedChunks } from '../../helpers/orderedChunks';
import { mapConcurrent } from '../../helpers/pool';
import { failedItem } from '../itemError';
import { maxConcurrency } from './description';
import { itemReader } from './item';
import { checkedOutput } from './jsonReply';
import type { Via } from './reliable';
import { reliability } from './reliable';

/**
 * Message a Model in real time. `only` limits it to some items (those a batch job left
 * unfinished); their outputs come back in that order.
 */
export async function execute(
	this: IExecuteFunctions,
	provider: Provider,
	only?: number[],
): Promise<INodeExecutionData[]> {
	const items = this.getInputData();
	const indexes = only ?? items.map((_item, index) => index);
	if (indexes.length === 0) return [];
	// Settled once, awaited by each item: a credential problem then fails every item on its own,
	// so Continue On Fail still pairs each one (and no rejection is left unhandled).
	const endpoint = resolveEndpoint.call(this, provider).then(
		(resolved) => ({ resolved }),
		(error: unknown) => ({ error }),
	);
	// Node-wide settings, read from the first item; a bad one fails every item (each paired).
	let concurrency = 1;
	let perMinute = 0;
	let settingsError: unknown;
	const reliable = reliability(this); // fallback models, cost, budget, telemetry (reliable.ts)
	try {
		const nodeOptions = this.getNodeParameter('options', 0, {}) as IDataObject;
		const failFirst = failFor(this.getNode(), 0);
		reliable.readNodeSettings(nodeOptions, failFirst);
		({ concurrency, perMinute } = readNodeSettings(nodeOptions, failFirst));
	} catch (error) {
		settingsError = error;
	}
	const continueOnFail = this.continueOnFail();
	const read = parameterReader(this);
	// Behind a streaming webhook or chat, n8n relays what the node sends (n8n >= 1.105). Run as
	// an agent's tool, the reply is for the agent, not for the person in the chat.
	// Items a batch job left unfinished are not streamed: the chat would see them out of order.
	const streaming =
		only === undefined &&
		!runsAsTool(this) &&
		typeof this.isStreaming === 'function' &&
		this.isStreaming();
	const sendChunk = orderedChunks(async (type, itemIndex, content) => {
		await this.sendChunk(type, itemIndex, content);
	});

	const readItem = itemReader(this, provider, read, perMinute);

	const answer = async (itemIndex: number): Promise<IDataObject> => {
		if (settingsError) throw settingsError;
		const { fail, settings, messages, jsonCheck, itemOptions } = await readItem(itemIndex);
		const settled = await endpoint;
		if ('error' in settled) throw settled.error;
		const target = settled.resolved;
		checkChatSettings(settings, target, fail);
		// Fallback models, cost, budget and telemetry around the item's sends (reliable.ts).
		const run = reliable.item(itemIndex, settings.model, itemOptions, target, fail);
		const send = async (history: IDataObject[], stream: boolean, via: Via = run.via) =>
			await completeChat(this, target, settings, {
				messages: history,
				itemIndex,
				model: via.model,
				onResponse: via.onResponse,
				relay: stream ? relayTo(sendChunk, itemIndex) : undefined,
			});
		const completion = await run.first(async (via) => await send(messages, streaming, via));
		if (!(read('simplify', itemIndex, true) as boolean)) return await run.finish(completion);
		// A repair turn is not streamed: the chat already shows the first reply.
		const output = await checkedOutput(
			this.getNode(),
			completion,
			jsonCheck,
			itemIndex,
			messages,
			async (history) => await send(history, false),
		);
		return await run.finish(output);
	};

	return await mapConcurrent(indexes.length, concurrency, async (position) => {
		const itemIndex = indexes[position];
		try {
			if (streaming) await sendChunk('begin', itemIndex);
			const json = await answer(itemIndex);
			if (streaming) await sendChunk('end', itemIndex);
			return { json, pairedItem: { item: itemIndex } };
		} catch (error) {
			// Without Continue On Fail the node stops and n8n sends the error chunk itself.
			if (streaming && continueOnFail)
				await sendChunk('error', itemIndex, (error as Error).message);
			return failedItem(this, error, itemIndex, continueOnFail);
		}
	});
}

export function readNodeSettings(options: IDataObject, fail: Fail) {
	return {
		concurrency:
			readNumber(
				options.maxConcurrency,
				maxConcurrency.displayName,
				{ min: 1, max: 100, integer: true },
				fail,
			) ?? DEFAULT_MAX_CONCURRENCY,
		perMinute: readRequestsPerMinute(options, fail),
	};
}

/** n8n 2.x runs an agent's tool as the node itself, marked by where its output is logged. */
function runsAsTool(ctx: IExecuteFunctions): boolean {
	if (ctx.getNode().rewireOutputLogTo === NodeConnectionTypes.AiTool) return true;
	return typeof ctx.isToolExecution === 'function' && ctx.isToolExecution();
}

/** Each text delta goes to n8n's response stream as it arrives; reasoning stays out of the text. */
function relayTo(sendChunk: SendChunk, itemIndex: number) {
	return async (delta: ReplyDelta) => {
		if (delta.text) await sendChunk('item', itemIndex, delta.text);
	};
}
