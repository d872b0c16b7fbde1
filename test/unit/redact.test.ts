import { createRedactor, credentialSecrets } from '../../nodes/shared/transport/redact';

const credentials = {
	apiKey: '  sk-live-0123456789\n',
	customHeaders: {
		headers: [
			{ name: 'X-Tenant', value: 'tenant-secret-1' },
			{ name: 'X-Region', value: 'eu' },
			{ name: 'X-Empty', value: '' },
		],
	},
};

describe('redaction', () => {
	const redact = createRedactor(credentials);

	it('masks the key bare, as Bearer, URL- and JSON-escaped, and every header value', () => {
		expect(redact.text('Invalid token: Bearer sk-live-0123456789.')).toBe(
			'Invalid token: Bearer ***.',
		);
		expect(redact.text('tenant=tenant-secret-1&x=1')).toBe('tenant=***&x=1');
		expect(credentialSecrets(credentials)).toContain(encodeURIComponent('  sk-live-0123456789\n'));
		expect(redact.text('key "  sk-live-0123456789\\n" sent')).toBe('key "***" sent');
	});

	it('masks a value under 6 characters only as a whole token', () => {
		expect(redact.text('region eu rejected; europe is fine; eu-west too')).toBe(
			'region *** rejected; europe is fine; eu-west too',
		);
	});

	it('redacts keys and values of nested bodies and leaves other values alone', () => {
		expect(
			redact.deep({
				error: { message: 'sk-live-0123456789', code: 401, list: ['eu', null] },
				'tenant-secret-1': true,
			}),
		).toEqual({ error: { message: '***', code: 401, list: ['***', null] }, '***': true });
	});

	it('does nothing without secrets', () => {
		const body = { a: 'b' };
		expect(createRedactor({}).deep(body)).toBe(body);
	});
});
