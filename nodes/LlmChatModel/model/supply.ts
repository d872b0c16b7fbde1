import type { IDataObject, INode, ISupplyDataFunctions, SupplyData } from 'n8n-workflow';
import { NodeError, NodeOperationError } from 'n8n-workflow';

import {
	checkForDialect,
	readChatOptions,
	readRequestSettings,
	readRequestsPerMinute,
} from '../../shared/chat/options';
import { failFor } from '../../shared/chat/validation';
import type { ProviderId } from '../../shared/providers';
import { PROVIDERS } from '../../shared/providers';
import { resolveEndpoint } from '../../shared/transport';
import type { Sdk } from './chatModel';
import { defineChatModel } from './chatModel';
import { reasoningRecall } from './reasoningMemory';
import { chatSender } from './sendChat';

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
	const model = String(
		ctx.getNodeParameter('model', itemIndex, '', { extractValue: true }) ?? '',
	).trim();
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const chatOptions = readChatOptions(options, provider, fail);
	const settings = readRequestSettings(options, fail);
	const target = await resolveEndpoint.call(ctx, provider);
	checkForDialect(model, chatOptions, target.provider, fail);
	const send = chatSender(ctx, target, model, chatOptions, {
		...settings,
		requestsPerMinute: readRequestsPerMinute(options, fail),
	});
	const ChatModel = defineChatModel(sdk);
	// Tool-call ids are the provider's: scoped to the execution, one run never reads another's.
	const reasoning = reasoningRecall(ctx.getExecutionId() ?? '');
	return sdk.supplyModel(ctx, new ChatModel(send, reasoning, target.provider.id, model || 'tgi'));
}
