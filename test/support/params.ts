import type { IDataObject } from 'n8n-workflow';

import type { ProviderId } from '../../nodes/shared/providers';
import { PROVIDER_IDS, PROVIDERS } from '../../nodes/shared/providers';

export type { ProviderId };
export { PROVIDER_IDS, PROVIDERS };

export const KEY = 'sk-test-SECRET-0123456789';

export const credentialTypeOf = (provider: ProviderId) => PROVIDERS[provider].credentialType;

export function credentialsFor(provider: ProviderId, baseUrl: string, extra: IDataObject = {}) {
	return { [credentialTypeOf(provider)]: { apiKey: KEY, baseUrl, apiVersion: 'v1', ...extra } };
}

/** LLM Chat parameters for "Message a Model" with one user message. */
export function messageParams(
	provider: ProviderId,
	overrides: Record<string, unknown> = {},
): IDataObject {
	return {
		provider,
		operation: 'message',
		model: { __rl: true, mode: 'id', value: 'test-model' },
		messages: { values: [{ role: 'user', content: '={{ $json.question ?? "Hello" }}' }] },
		...(overrides as IDataObject),
	};
}
