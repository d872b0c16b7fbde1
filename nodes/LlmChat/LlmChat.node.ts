import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { llmChatApiTest } from '../shared/methods/credentialTest';
import { searchModels } from '../shared/methods/searchModels';
import { commonProperties } from './actions/common.properties';
import * as batch from './actions/batch/description';
import * as listModels from './actions/listModels/description';
import * as message from './actions/message/description';
import { router } from './actions/router';

export class LlmChat implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'LLM Chat',
		name: 'llmChat',
		icon: { light: 'file:llmChat.svg', dark: 'file:llmChat.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle:
			'={{ $parameter["operation"] === "listModels" ? "List Models" : $parameter["operation"] === "batchResults" ? "Get Batch Results" : "Message " + ($parameter["model"]?.cachedResultName || $parameter["model"]?.value || "a Model") }}',
		description:
			'Send a chat conversation to a large language model (Together AI, Hugging Face or OpenAI) and return its reply, or list the available models',
		defaults: { name: 'LLM Chat' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		// Listed literally (not built from the provider table) so n8n's linter can see each credential is tested.
		credentials: [
			{
				name: 'llmChatTogetherAiApi',
				required: true,
				testedBy: 'llmChatApiTest',
				displayOptions: { show: { provider: ['togetherAi'] } },
			},
			{
				name: 'llmChatHuggingFaceTgiApi',
				required: true,
				testedBy: 'llmChatApiTest',
				displayOptions: { show: { provider: ['huggingFaceTgi'] } },
			},
			{
				name: 'llmChatOpenAiApi',
				required: true,
				testedBy: 'llmChatApiTest',
				displayOptions: { show: { provider: ['openAi'] } },
			},
		],
		properties: [
			...commonProperties,
			batch.mode,
			...message.description,
			batch.batchOptions,
			...batch.description,
			...listModels.description,
		],
	};

	methods = {
		listSearch: { searchModels },
		credentialTest: { llmChatApiTest },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
