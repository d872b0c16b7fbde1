import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { customHeaderEntries } from '../../../credentials/shared/llmChatApiCredential';

export const MASK = '***';

/**
 * Secrets at least this long are masked wherever they appear, in any letter case and
 * base64-encoded too. Shorter ones are masked only as a whole token, as sent, so a
 * header value such as `1` or `eu` does not mangle every number or word of an error.
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
		// A server may echo what it received URL-, JSON- or HTML-escaped, or JSON-escaped
		// character by character (\u0026) inside a message that is itself JSON.
		secrets.add(encodeURIComponent(value));
		secrets.add(JSON.stringify(value).slice(1, -1));
		secrets.add(htmlEscaped(value));
		secrets.add(unicodeEscaped(value));
	}
	// Longest first, so a key that contains another secret is masked whole.
	return [...secrets].sort((a, b) => b.length - a.length);
}

/**
 * The base64 (and base64url) forms a secret takes inside any base64 text, such as an
 * echoed `Authorization: Bearer <key>` or a Basic header: base64 encodes 3 bytes at a
 * time, so the secret's encoding depends on where it starts in the encoded bytes. For
 * each of the 3 alignments, the groups made of the secret's bytes alone are its mark.
 */
export function base64Forms(secret: string): string[] {
	const bytes = new TextEncoder().encode(secret);
	const forms: string[] = [];
	for (let skip = 0; skip < 3; skip++) {
		const whole = Math.floor((bytes.length - skip) / 3) * 3;
		if (whole < MIN_SUBSTRING_SECRET) continue;
		const encoded = btoa(String.fromCharCode(...bytes.subarray(skip, skip + whole)));
		forms.push(encoded, encoded.replace(/\+/g, '-').replace(/\//g, '_'));
	}
	return forms;
}

const HTML_ENTITIES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&#39;',
};
const htmlEscaped = (value: string) => value.replace(/[&<>"']/g, (char) => HTML_ENTITIES[char]);
/** Characters a JSON encoder may write as \uXXXX (HTML-safe encoders do so for & < > ' =). */
const unicodeEscaped = (value: string) =>
	value.replace(/[&<>'=]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface Redactor {
	text(text: string): string;
	/** A response body or header map with every string (keys included) redacted. */
	deep<T>(value: T): T;
	/** Where `text` would mask, as [start, end) ranges (for text that arrives in pieces). */
	spans(text: string): Array<[number, number]>;
	/**
	 * How many characters at the end of the text could be the start of a secret (in any
	 * form, any case): text arriving in pieces holds those back until the next piece.
	 */
	partialAtEnd(text: string): number;
}

/** Built once per execution: every text derived from a response passes through it. */
export function createRedactor(credentials: ICredentialDataDecryptedObject | undefined): Redactor {
	const secrets = credentialSecrets(credentials);
	const long = secrets.filter((secret) => secret.length >= MIN_SUBSTRING_SECRET);
	const encoded = [...new Set(long.flatMap(base64Forms))];
	const forms = [...new Set([...long, ...encoded])].sort((a, b) => b.length - a.length);
	// One pass for every long form, longest first; letter case ignored (an echo may upper-case).
	const anywhere = forms.length ? new RegExp(forms.map(escapeRegExp).join('|'), 'gi') : undefined;
	const short = secrets
		.filter((secret) => secret.length < MIN_SUBSTRING_SECRET)
		.map((secret) => new RegExp(`(?<![\\w.-])${escapeRegExp(secret)}(?![\\w.-])`, 'g'));

	const text = (input: string): string => {
		let result = anywhere ? input.replace(anywhere, MASK) : input;
		for (const token of short) result = result.replace(token, MASK);
		return result;
	};
	// Copy-on-write: a reply with no secret in it (nearly all) is returned as it is, unallocated.
	// Recursive: every body reaching it was cut to MAX_JSON_DEPTH levels when parsed.
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
	const spans = (input: string): Array<[number, number]> => {
		const found: Array<[number, number]> = [];
		for (const pattern of anywhere ? [anywhere, ...short] : short)
			for (const match of input.matchAll(pattern))
				found.push([match.index, match.index + match[0].length]);
		return found;
	};
	const prefixes = [...new Set([...forms, ...secrets].map((form) => form.toLowerCase()))];
	const longest = Math.max(0, ...prefixes.map((form) => form.length));
	const partialAtEnd = (input: string): number => {
		if (longest === 0) return 0;
		// Only the last (longest form − 1) characters can hold an unfinished secret.
		const tail = input.slice(-(longest - 1)).toLowerCase();
		for (let start = 0; start < tail.length; start++) {
			const rest = tail.slice(start);
			if (prefixes.some((form) => form.length > rest.length && form.startsWith(rest)))
				return rest.length;
		}
		return 0;
	};
	return { text, deep, spans, partialAtEnd };
}
