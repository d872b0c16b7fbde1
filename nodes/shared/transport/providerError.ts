/** The provider's own message in an error body, whatever shape the body has. */
import { isObject } from '../json';

export interface ProviderErrorInfo {
	message: string;
	type?: string;
	code?: string;
}

export const MAX_TEXT = 300;

/** Shortens a text or HTML body to something a user can read in the error panel. */
export function shortenBody(text: string): string {
	const title = /<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1];
	const plain = (title ?? text)
		.replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
		.replace(/<[^>]+>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return plain.length > MAX_TEXT ? `${plain.slice(0, MAX_TEXT)}…` : plain;
}

/**
 * Finds the provider's own message in an error body: OpenAI/Together
 * `{error: {message, type, code}}`, TGI `{error, error_type}`, `{message}` or
 * `{detail}` from proxies, or a plain-text/HTML body.
 */
export function providerErrorInfo(body: unknown): ProviderErrorInfo | undefined {
	if (typeof body === 'string') {
		const text = body.trim();
		if (text === '') return undefined;
		try {
			return providerErrorInfo(JSON.parse(text));
		} catch {
			return { message: shortenBody(text) };
		}
	}
	if (!isObject(body)) return undefined;
	const { error } = body;
	if (isObject(error) && typeof error.message === 'string') {
		return {
			message: error.message,
			type: typeof error.type === 'string' ? error.type : undefined,
			code: typeof error.code === 'string' ? error.code : undefined,
		};
	}
	if (typeof error === 'string') {
		return {
			message: error,
			type: typeof body.error_type === 'string' ? body.error_type : undefined,
		};
	}
	for (const key of ['message', 'detail']) {
		const value = body[key];
		if (typeof value === 'string') return { message: value };
		if (value !== undefined) return { message: JSON.stringify(value).slice(0, MAX_TEXT) };
	}
	return undefined;
}
