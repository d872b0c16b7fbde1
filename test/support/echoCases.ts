import { completion, modelList } from './fixtures';

/**
 * A provider's (or a careless gateway's) answer that echoes a secret it was sent, in the
 * shape of a recorded response: status, headers, body. Written here, so the redaction
 * tests run without ../shared; the recorded echo cases there have the same shapes.
 */
export interface EchoResponse {
	status: number;
	headers: Record<string, string>;
	body: unknown;
}

export interface EchoCase {
	/** The answer to a chat request. */
	chat: EchoResponse;
	/** The answer to `GET …/models` (the credential's Test button); the chat answer if absent. */
	models?: EchoResponse;
	/** Where the redacted secret (`***`) must show: in the item's error, or in its text. */
	shows: 'error' | 'text';
}

/** The echo cases for a key (sent as `Bearer <key>`) and a custom header's value. */
export function echoCases(key: string, headerValue: string): Record<string, EchoCase> {
	const json = { 'content-type': 'application/json; charset=utf-8' };
	return {
		'a JSON 401 echoing the key': {
			chat: {
				status: 401,
				headers: { ...json, server: 'cloudflare' },
				body: {
					error: {
						message: `Incorrect API key provided: Bearer ${key}. You can find your API key at https://platform.openai.com/account/api-keys.`,
						type: 'invalid_request_error',
						param: null,
						code: 'invalid_api_key',
					},
				},
			},
			shows: 'error',
		},
		'a JSON 400 echoing a custom header': {
			chat: {
				status: 400,
				headers: json,
				body: {
					error: {
						message: `Gateway rejected the request: unknown tenant in header X-Gw: ${headerValue}`,
						type: 'invalid_request_error',
						param: null,
						code: null,
					},
				},
			},
			shows: 'error',
		},
		'an HTML 502 page echoing the key': {
			chat: {
				status: 502,
				headers: { 'content-type': 'text/html', server: 'cloudflare' },
				body: [
					'<html>',
					`<head><title>502 Bad Gateway: Incorrect API key provided: Bearer ${key}</title></head>`,
					'<body>',
					'<center><h1>502 Bad Gateway</h1></center>',
					`<p>upstream rejected Authorization: Bearer ${key}</p>`,
					'<hr><center>cloudflare</center>',
					'</body>',
					'</html>',
					'',
				].join('\r\n'),
			},
			shows: 'error',
		},
		'a text/plain 403 echoing both': {
			chat: {
				status: 403,
				headers: { 'content-type': 'text/plain; charset=utf-8' },
				body: `Forbidden: Authorization=Bearer ${key} X-Gw=${headerValue}\n`,
			},
			shows: 'error',
		},
		'a response header echoing the key': {
			chat: {
				status: 429,
				headers: { ...json, 'x-debug-authorization': `Bearer ${key}`, 'retry-after': '0' },
				body: {
					error: {
						message: `Rate limit reached for key ${key}`,
						type: 'requests',
						code: 'rate_limit_exceeded',
					},
				},
			},
			shows: 'error',
		},
		'a Location header carrying the key': {
			chat: {
				status: 302,
				headers: {
					...json,
					location: `http://127.0.0.1:1/login?api_key=${key}&tenant=${headerValue}`,
				},
				body: { error: { message: `Session expired for ${key}, log in again` } },
			},
			shows: 'error',
		},
		'a successful reply echoing both': {
			chat: {
				status: 200,
				headers: json,
				body: completion(`Your key is ${key} and your tenant ${headerValue}.`),
			},
			models: {
				status: 200,
				headers: json,
				body: modelList([`model-for-${key}`]),
			},
			shows: 'text',
		},
	};
}
