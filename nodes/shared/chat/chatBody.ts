import type { IDataObject } from 'n8n-workflow';

import type { Provider } from '../providers';
import type { ChatOptions, ResponseFormat } from './options';
import { withReasoningKept } from './reasoningHistory';

/**
 * The request body in the provider's dialect, from checked input. Pure: every
 * provider difference comes from the provider table.
 */
export function buildChatBody(
	provider: Provider,
	model: string,
	messages: IDataObject[],
	options: ChatOptions,
): IDataObject {
	const body: IDataObject = {};
	if (model !== '') body.model = model;
	body.messages = withReasoningKept(messages, options.reasoningInHistory).map(
		provider.adaptMessage,
	);
	const fields: IDataObject = {
		temperature: options.temperature,
		top_p: options.topP,
		[provider.tokenLimitField]: options.maxTokens,
		frequency_penalty: options.frequencyPenalty,
		presence_penalty: options.presencePenalty,
		n: options.n,
		seed: options.seed,
		stop: options.stop,
		user: options.user,
		reasoning_effort: options.reasoningEffort,
		response_format: responseFormatField(provider, options.responseFormat),
		tools: options.tools?.map((tool) => provider.adaptTool({ type: 'function', ...tool })),
		...options.extraBody,
	};
	// Nothing is ever sent as null or empty: an unset option is simply absent.
	for (const [key, value] of Object.entries(fields)) {
		if (value !== undefined && value !== null) body[key] = value;
	}
	return body;
}

function responseFormatField(provider: Provider, format: ResponseFormat): IDataObject | undefined {
	if (format.type === 'jsonObject') return provider.jsonObjectFormat();
	if (format.type === 'jsonSchema')
		return provider.jsonSchemaFormat(format.schema, format.name, format.strict);
	return undefined;
}

/** The same body, asking for Server-Sent Events (and the usage in the last one where the API can). */
export function streamingBody(provider: Provider, body: IDataObject): IDataObject {
	return {
		...body,
		stream: true,
		...(provider.streamOptions ? { stream_options: provider.streamOptions } : {}),
	};
}
