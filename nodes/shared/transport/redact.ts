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
	// Copy-on-write: a reply with no secret in it (nearly all) is returned as it is, unallocated.
	const deep = <T>(value: T): T => {
		if (secrets.length === 0) return value;
		if (typeof value === 'string') return text(value) as T;
		if (Array.isArray(value)) {
			let copy: unknown[] | undefined;
			value.forEach((entry, index) => {
				const clean = deep(entry);
				if (clean !== entry) (copy ??= [...value])[index] = clean;
			});
			return (copy ?? value) as T;
		}
		if (typeof value === 'object' && value !== null) {
			let copy: Record<string, unknown> | undefined;
			for (const [key, entry] of Object.entries(value)) {
				const cleanKey = text(key);
				const clean = deep(entry);
				if (cleanKey === key && clean === entry) continue;
				copy ??= { ...(value as Record<string, unknown>) };
				if (cleanKey !== key) delete copy[key];
				copy[cleanKey] = clean;
			}
			return (copy ?? value) as T;
		}
		return value;
	};
	return { text, deep };
}
