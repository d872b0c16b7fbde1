import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import {
	checkForDialect,
	readChatOptions,
	readRequestSettings,
	readRequestsPerMinute,
} from '../../../shared/chat/options';
import { buildChatBody, streamingBody } from '../../../shared/chat/request';
import { CHAT_COMPLETION } from '../../../shared/chat/response';
import { chatStreamReader } from '../../../shared/chat/streamReply';
import type { Fail } from '../../../shared/chat/validation';
import { failFor, readNumber } from '../../../shared/chat/validation';
import { DEFAULT_MAX_CONCURRENCY } from '../../../shared/defaults';
import type { Provider } from '../../../shared/providers';
import { rateLimitFor } from '../../../shared/rateLimit';
import { apiRequest, resolveEndpoint } from '../../../shared/transport';
import { parameterReader } from '../../helpers/parameters';
import type { SendChunk } from '../../helpers/orderedChunks';
import { orderedChunks } from '../../helpers/orderedChunks';
import { mapConcurrent } from '../../helpers/pool';
import { failedItem } from '../itemError';
import { maxConcurrency, offeredOptions } from './description';
import { imageReader } from './images';
import { checkedOutput, jsonCheckFor } from './jsonReply';
import { readMessages } from './messages';
import type { Via } from './reliable';
import { reliability } from './reliable';

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
	// Node-wide settings, read from the first item; a bad one fails every item (each paired).
	let concurrency = 1;
	let perMinute = 0;
	let settingsError: unknown;
	const reliable = reliability(this); // fallback models, cost, budget, telemetry (reliable.ts)
	try {
		reliable.readNodeSettings(
			this.getNodeParameter('options', 0, {}) as IDataObject,
			failFor(this.getNode(), 0),
		);
		({ concurrency, perMinute } = readNodeSettings(
			this.getNodeParameter('options', 0, {}) as IDataObject,
			failFor(this.getNode(), 0),
		));
	} catch (error) {
		settingsError = error;
	}
	const continueOnFail = this.continueOnFail();
	const read = parameterReader(this);
	// Behind a streaming webhook or chat, n8n relays what the node sends (n8n >= 1.105). Run as
	// an agent's tool, the reply is for the agent, not for the person in the chat.
	const streaming =
		!runsAsTool(this) && typeof this.isStreaming === 'function' && this.isStreaming();
	const sendChunk = orderedChunks(async (type, itemIndex, content) => {
		await this.sendChunk(type, itemIndex, content);
	});

	/**
	 * One item's input, checked before anything is sent (and before the credential is awaited).
	 * Its images are read here, when the item's turn comes, not for all items up front.
	 */
	const readItem = async (itemIndex: number) => {
		const fail = failFor(this.getNode(), itemIndex);
		const itemOptions = read('options', itemIndex, {}) as IDataObject;
		const chatOptions = readChatOptions(itemOptions, provider, fail);
		return {
			fail,
			model: String(read('model', itemIndex, '', { extractValue: true }) ?? '').trim(),
			messages: await readMessages(read, itemIndex, fail, imageReader(this, itemIndex)),
			chatOptions,
			jsonCheck: jsonCheckFor(chatOptions, itemOptions, fail, itemIndex),
			settings: readRequestSettings(itemOptions, fail),
			itemOptions,
		};
	};

	const answer = async (itemIndex: number): Promise<IDataObject> => {
		if (settingsError) throw settingsError;
		const { fail, model, messages, chatOptions, jsonCheck, settings, itemOptions } =
			await readItem(itemIndex);
		const settled = await endpoint;
		if ('error' in settled) throw settled.error;
		const target = settled.resolved;
		// The credential's Server Kind picks the dialect (Hugging Face: router or self-hosted TGI).
		const dialect = target.provider;
		checkForDialect(model, chatOptions, dialect, fail);
		const run = reliable.item(itemIndex, model, itemOptions, target, fail);
		const send = async (history: IDataObject[], stream: boolean, via: Via = run.via) => {
			const body = buildChatBody(dialect, via.model ?? model, history, chatOptions);
			return (await apiRequest.call(
				this,
				target,
				'POST',
				dialect.chatPath,
				stream ? streamingBody(dialect, body) : body,
				{
					...settings,
					rateLimit: rateLimitFor(target.rateLimitKey, perMinute),
					offers: offeredOptions,
					itemIndex,
					expect: CHAT_COMPLETION,
					readStream: stream ? relayTo(sendChunk, itemIndex) : undefined,
					onResponse: via.onResponse,
				},
			)) as IDataObject;
		};
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

	return await mapConcurrent(items.length, concurrency, async (itemIndex) => {
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

function readNodeSettings(options: IDataObject, fail: Fail) {
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
	return chatStreamReader(async (delta) => {
		if (delta.text) await sendChunk('item', itemIndex, delta.text);
	});
}
