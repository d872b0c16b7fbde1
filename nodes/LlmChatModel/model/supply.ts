import type { IDataObject, INode, ISupplyDataFunctions, SupplyData } from 'n8n-workflow';
import { NodeError, NodeOperationError } from 'n8n-workflow';

import { checkChatSettings, completeChat, readChatSettings } from '../../shared/chat/completeChat';
import { readRequestsPerMinute } from '../../shared/chat/options';
import { failFor } from '../../shared/chat/validation';
import type { ProviderId } from '../../shared/providers';
import { PROVIDERS } from '../../shared/providers';
import { resolveEndpoint } from '../../shared/transport';
import { offeredOptions } from '../description';
import type { Sdk, SendChat } from './chatModel';
import { defineChatModel } from './chatModel';
import { reasoningRecall } from './reasoningMemory';

/** Loaded on first use, not on import: n8n < 2.16 has no SDK, and LLM Chat must still load there. */
async function loadSdk(node: INode): Promise<Sdk> {
	try {
		return await import('@n8n/ai-node-sdk');
	} catch (error) {
		throw new NodeOperationError(node, 'LLM Chat Model needs n8n 2.16 or newer', {
			description: `This n8n has no @n8n/ai-node-sdk (${(error as Error).message.split('\n')[0]}). Update n8n, or use the LLM Chat node, which works on every n8n version.`,
		});
	}
}

/**
 * Checks the parameters and the credential before the agent sends anything, then hands
 * n8n the model. Every request it makes later goes through the package's transport.
 */
export async function supplyChatModel(
	this: ISupplyDataFunctions,
	itemIndex: number,
): Promise<SupplyData> {
	try {
		return await supply(this, itemIndex);
	} catch (error) {
		// n8n shows a configuration node's error as it is at the agent, not as "Error in sub-node".
		const nodeError =
			error instanceof NodeError ? error : new NodeOperationError(this.getNode(), error as Error);
		nodeError.functionality = 'configuration-node';
		throw nodeError;
	}
}

async function supply(ctx: ISupplyDataFunctions, itemIndex: number): Promise<SupplyData> {
	const sdk = await loadSdk(ctx.getNode());
	const fail = failFor(ctx.getNode(), itemIndex);
	const provider = PROVIDERS[ctx.getNodeParameter('provider', itemIndex) as ProviderId];
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const settings = readChatSettings(
		ctx.getNodeParameter('model', itemIndex, '', { extractValue: true }),
		options,
		provider,
		{ requestsPerMinute: readRequestsPerMinute(options, fail), offers: offeredOptions },
		fail,
	);
	const target = await resolveEndpoint.call(ctx, provider);
	checkChatSettings(settings, target, fail);
	// LLM Chat's own path: the same dialects, retries, errors, redaction and rate-limit window.
	const send: SendChat = async (call, relay) =>
		await completeChat(ctx, target, settings, { ...call, relay });
	const ChatModel = defineChatModel(sdk);
	// Tool-call ids are the provider's: scoped to the execution, one run never reads another's.
	const reasoning = reasoningRecall(ctx.getExecutionId() ?? '');
	return sdk.supplyModel(
		ctx,
		new ChatModel(send, reasoning, target.provider.id, settings.model || 'tgi'),
	);
}
