import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

/** What differs between the three credentials: only their defaults and hints. */
export interface LlmChatCredentialDefaults {
	baseUrl: string;
	apiVersion: string;
	baseUrlHint: string;
	apiVersionHint: string;
}

export function llmChatCredentialProperties(
	defaults: LlmChatCredentialDefaults,
): INodeProperties[] {
	return [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			required: true,
			default: defaults.baseUrl,
			hint: defaults.baseUrlHint,
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: defaults.apiVersion,
			hint: defaults.apiVersionHint,
			description:
				'Path segment between the base URL and the endpoint: requests go to {Base URL}/{API Version}/chat/completions. May be empty.',
		},
		{
			displayName: 'Custom Headers',
			name: 'customHeaders',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Header',
			default: {},
			description:
				'Headers sent with every request, for gateways and proxies. The Authorization header always carries the API key.',
			options: [
				{
					displayName: 'Header',
					name: 'headers',
					values: [
						{ displayName: 'Name', name: 'name', type: 'string', default: '' },
						{
							displayName: 'Value',
							name: 'value',
							type: 'string',
							typeOptions: { password: true },
							default: '',
						},
					],
				},
			],
		},
	];
}

export function customHeaderEntries(
	credentials: ICredentialDataDecryptedObject,
): Array<[string, string]> {
	const collection = (credentials.customHeaders ?? {}) as IDataObject;
	const headers = (collection.headers ?? []) as Array<{ name?: string; value?: string }>;
	return headers
		.filter((header) => typeof header.name === 'string' && header.name.trim() !== '')
		.map((header) => [header.name!.trim(), String(header.value ?? '').trim()]);
}

/**
 * One authentication for all three providers. Keys and header values that cannot be sent
 * as typed are refused before any request (nodes/shared/transport/credentialChecks.ts). A function rather than a generic
 * `authenticate` object because custom headers are a list of user-defined names.
 * The key is trimmed: keys pasted from a dashboard often carry a newline.
 */
export async function authenticateLlmChat(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const headers: IDataObject = { ...(requestOptions.headers ?? {}) };
	for (const [name, value] of customHeaderEntries(credentials)) headers[name] = value;
	headers.Authorization = `Bearer ${String(credentials.apiKey ?? '').trim()}`;
	return { ...requestOptions, headers };
}
