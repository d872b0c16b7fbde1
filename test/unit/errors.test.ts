import { providerErrorInfo, shortenBody } from '../../nodes/shared/transport/errors';

describe('the provider error message is found in every body shape', () => {
	it.each([
		[
			'OpenAI / Together object',
			{
				error: {
					message: 'Incorrect API key provided: sk-***',
					type: 'invalid_request_error',
					code: 'invalid_api_key',
				},
			},
			{
				message: 'Incorrect API key provided: sk-***',
				type: 'invalid_request_error',
				code: 'invalid_api_key',
			},
		],
		[
			'TGI {error, error_type}',
			{ error: 'Input validation error', error_type: 'validation' },
			{ message: 'Input validation error', type: 'validation' },
		],
		['proxy {message}', { message: 'Bad gateway' }, { message: 'Bad gateway' }],
		[
			'FastAPI {detail}',
			{ detail: [{ msg: 'field required' }] },
			{ message: '[{"msg":"field required"}]' },
		],
		['JSON as text', '{"error":{"message":"Model not found"}}', { message: 'Model not found' }],
		['plain text', 'upstream connect error', { message: 'upstream connect error' }],
	])('%s', (_name, body, expected) => {
		expect(providerErrorInfo(body)).toEqual(expect.objectContaining(expected));
	});

	it('reads an HTML page by its title', () => {
		const html =
			'<html><head><title>502 Bad Gateway</title><style>body{}</style></head><body><h1>502</h1></body></html>';
		expect(providerErrorInfo(html)).toEqual({ message: '502 Bad Gateway' });
	});

	it('gives nothing for an empty body', () => {
		expect(providerErrorInfo('')).toBeUndefined();
		expect(providerErrorInfo(undefined)).toBeUndefined();
		expect(providerErrorInfo({})).toBeUndefined();
	});

	it('shortens long bodies', () => {
		const shortened = shortenBody('x'.repeat(5000));
		expect(shortened.length).toBeLessThanOrEqual(301);
		expect(shortened.endsWith('…')).toBe(true);
	});
});
