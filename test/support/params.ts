import type { IDataObject } from 'n8n-workflow';

export const PROVIDER_CREDENTIALS = {
	openAi: 'llmChatOpenAiApi',
	togetherAi: 'llmChatTogetherAiApi',
	huggingFaceTgi: 'llmChatHuggingFaceTgiApi',
} as const;

export type ProviderId = keyof typeof PROVIDER_CREDENTIALS;
export const PROVIDERS = Object.keys(PROVIDER_CREDENTIALS) as ProviderId[];

export const KEY = 'sk-test-SECRET-0123456789';

export function credentialsFor(provider: ProviderId, baseUrl: string, extra: IDataObject = {}) {
	return { [PROVIDER_CREDENTIALS[provider]]: { apiKey: KEY, baseUrl, apiVersion: 'v1', ...extra } };
}

/** LLM Chat parameters for "Message a Model" with one user message. */
export function messageParams(provider: ProviderId, overrides: Record<string, unknown> = {}): IDataObject {
	return {
		provider,
		operation: 'message',
		model: { __rl: true, mode: 'id', value: 'test-model' },
		messages: { values: [{ role: 'user', content: '={{ $json.question ?? "Hello" }}' }] },
		...(overrides as IDataObject),
	};
}
