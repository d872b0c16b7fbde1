import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { customHeaderEntries } from '../../../credentials/shared/llmChatApiCredential';

export const MASK = '***';

/**
 * Secrets at least this long are masked wherever they appear. Shorter ones are
 * masked only as a whole token, so a header value such as `1` or `eu` does not
 * mangle every number or word of an error message.
 */
export const MIN_SUBSTRING_SECRET = 6;

/** A credential's secrets: the API key (as stored and trimmed) and every custom header value. */
export function credentialSecrets(
	credentials: ICredentialDataDecryptedObject | undefined,
): string[] {
	if (!credentials) return [];
	const key = String(credentials.apiKey ?? '');
	const values = [key, key.trim(), ...customHeaderEntries(credentials).map(([, value]) => value)];
	const secrets = new Set<string>();
	for (const value of values) {
		if (value.trim() === '') continue;
		secrets.add(value);
		// A server may echo what it received URL- or JSON-escaped.
		secrets.add(encodeURIComponent(value));
		secrets.add(JSON.stringify(value).slice(1, -1));
	}
	// Longest first, so a key that contains another secret is masked whole.
	return [...secrets].sort((a, b) => b.length - a.length);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface Redactor {
	text(text: string): string;
	/** A response body or header map with every string (keys included) redacted. */
	deep<T>(value: T): T;
}

/** Built once per execution: every text derived from a response passes through it. */
export function createRedactor(credentials: ICredentialDataDecryptedObject | undefined): Redactor {
	const secrets = credentialSecrets(credentials);
	const long = secrets.filter((secret) => secret.length >= MIN_SUBSTRING_SECRET);
	const short = secrets
		.filter((secret) => secret.length < MIN_SUBSTRING_SECRET)
		.map((secret) => new RegExp(`(?<![\\w.-])${escapeRegExp(secret)}(?![\\w.-])`, 'g'));

	const text = (input: string): string => {
		let result = input;
		for (const secret of long) {
			if (result.includes(secret)) result = result.split(secret).join(MASK);
		}
		for (const token of short) result = result.replace(token, MASK);
		return result;
	};
	const deep = <T>(value: T): T => {
		if (secrets.length === 0) return value;
		if (typeof value === 'string') return text(value) as T;
		if (Array.isArray(value)) return value.map(deep) as T;
		if (typeof value === 'object' && value !== null) {
			return Object.fromEntries(
				Object.entries(value).map(([key, entry]) => [text(key), deep(entry)]),
			) as T;
		}
		return value;
	};
	return { text, deep };
}
