import type { IDataObject } from 'n8n-workflow';

import type { ModelInfo } from './models';

/**
 * The one place that knows how the supported OpenAI-compatible APIs differ.
 * Adding a provider means one entry here, one credential class and one line in
 * each node's credential list.
 */
export type ProviderId = 'togetherAi' | 'huggingFaceTgi' | 'openAi';

export interface Provider {
	id: ProviderId;
	displayName: string;
	credentialType: string;
	chatPath: string;
	modelsPath: string;
	/** A self-hosted TGI serves one model and ignores the field. */
	modelRequired: boolean;
	/** OpenAI deprecated `max_tokens` for `max_completion_tokens`; the others still take `max_tokens`. */
	tokenLimitField: 'max_tokens' | 'max_completion_tokens';
	/** Empty when the API has no reasoning effort parameter. */
	reasoningEfforts: string[];
	supportsUser: boolean;
	/** Sent with `stream: true` where the API takes it, so the last event carries the usage. */
	streamOptions?: IDataObject;
	jsonObjectFormat: () => IDataObject;
	jsonSchemaFormat: (schema: IDataObject, name: string) => IDataObject;
	/** Models offered in the model picker; List Models can ask for all of them. */
	isChatModel: (model: ModelInfo) => boolean;
	/** A tool definition in the form the API documents (given in OpenAI's form). */
	adaptTool: (tool: IDataObject) => IDataObject;
	/** A chat-history message in the form the API documents (given in OpenAI's form). */
	adaptMessage: (message: IDataObject) => IDataObject;
}

const asIs = (value: IDataObject) => value;

const openAiJsonSchema = (schema: IDataObject, name: string): IDataObject => ({
	type: 'json_schema',
	json_schema: { name, schema },
});

export const PROVIDERS: Record<ProviderId, Provider> = {
	togetherAi: {
		id: 'togetherAi',
		displayName: 'Together AI',
		credentialType: 'llmChatTogetherAiApi',
		chatPath: 'chat/completions',
		modelsPath: 'models',
		modelRequired: true,
		tokenLimitField: 'max_tokens',
		reasoningEfforts: ['low', 'medium', 'high'],
		supportsUser: false,
		// Together's API has no stream_options; it puts the usage in the last chunk by itself.
		jsonObjectFormat: () => ({ type: 'json_object' }),
		jsonSchemaFormat: openAiJsonSchema,
		isChatModel: (model) => model.type === undefined || model.type === 'chat',
		adaptTool: asIs,
		// Together's schema wants text content and an `index` on each tool call of an assistant turn.
		adaptMessage: (message) =>
			Array.isArray(message.tool_calls)
				? {
						...message,
						content: message.content ?? '',
						tool_calls: (message.tool_calls as IDataObject[]).map((call, index) => ({
							index,
							...call,
						})),
					}
				: message,
	},
	huggingFaceTgi: {
		id: 'huggingFaceTgi',
		displayName: 'Hugging Face TGI',
		credentialType: 'llmChatHuggingFaceTgiApi',
		chatPath: 'chat/completions',
		modelsPath: 'models',
		modelRequired: false,
		tokenLimitField: 'max_tokens',
		reasoningEfforts: [],
		supportsUser: false,
		streamOptions: { include_usage: true },
		// TGI's grammar form: {type: "json", value: <JSON schema>}; it has no json_object mode.
		jsonObjectFormat: () => ({ type: 'json', value: { type: 'object' } }),
		jsonSchemaFormat: (schema) => ({ type: 'json', value: schema }),
		isChatModel: () => true,
		// TGI names a function's JSON schema `arguments` (it also reads `parameters` as an alias).
		adaptTool: (tool) => {
			const { parameters, ...fn } = (tool.function ?? {}) as IDataObject;
			return { ...tool, function: { ...fn, arguments: parameters ?? {} } };
		},
		adaptMessage: asIs,
	},
	openAi: {
		id: 'openAi',
		displayName: 'OpenAI',
		credentialType: 'llmChatOpenAiApi',
		chatPath: 'chat/completions',
		modelsPath: 'models',
		modelRequired: true,
		tokenLimitField: 'max_completion_tokens',
		reasoningEfforts: ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'],
		supportsUser: true,
		streamOptions: { include_usage: true },
		jsonObjectFormat: () => ({ type: 'json_object' }),
		jsonSchemaFormat: openAiJsonSchema,
		isChatModel: () => true,
		adaptTool: asIs,
		adaptMessage: asIs,
	},
};

export const PROVIDER_IDS = Object.keys(PROVIDERS) as ProviderId[];

export function providersWhere(predicate: (provider: Provider) => boolean): ProviderId[] {
	return PROVIDER_IDS.filter((id) => predicate(PROVIDERS[id]));
}
