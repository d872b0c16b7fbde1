import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { customHeaderEntries } from '../../../credentials/shared/llmChatApiCredential';
import { baseUrlProblem } from './url';

/**
 * What can never work in a credential, found before any request. The HTTP client
 * would silently change a key or header value with a line break or control character,
 * so the value that leaves would be one the redactor does not know: it is refused,
 * and the problem is named without repeating the value.
 */

/** A field of the credential and what is wrong with it. */
export interface CredentialProblem {
	field: string;
	problem: string;
}

/** Visible ASCII: what an API key can be (it travels as `Authorization: Bearer <key>`). */
const KEY_CHARACTERS = /^[\x21-\x7e]+$/;
/** RFC 9110 token characters, the only ones a header name may have. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Visible ASCII and inner spaces: what a header value carries unchanged. */
const HEADER_VALUE = /^[\x20-\x7e]*$/;
/**
 * Headers that frame the message or the connection: the HTTP client sets them, and one
 * typed by hand (a wrong Content-Length, a Transfer-Encoding beside it) breaks the request
 * or lets a proxy read it as two. Authorization is not here: the key always replaces it.
 */
const FRAMING_HEADERS = new Set([
	'content-length',
	'transfer-encoding',
	'host',
	'connection',
	'keep-alive',
	'upgrade',
	'te',
	'trailer',
	'expect',
	'proxy-connection',
]);
export function credentialProblem(
	data: ICredentialDataDecryptedObject,
): CredentialProblem | undefined {
	const url = baseUrlProblem(data.baseUrl);
	if (url !== undefined) return { field: 'Base URL', problem: url };
	const key = String(data.apiKey ?? '').trim();
	if (key === '')
		return {
			field: 'API Key',
			problem:
				'is empty (a server that needs no key, such as a self-hosted TGI, accepts any text here)',
		};
	if (!KEY_CHARACTERS.test(key)) {
		return {
			field: 'API Key',
			problem: `contains ${unsendable(key)}: paste the key again, on one line`,
		};
	}
	for (const [name, value] of customHeaderEntries(data)) {
		const field = `Custom Headers (${HEADER_NAME.test(name) ? name : 'a header'})`;
		if (!HEADER_NAME.test(name))
			return {
				field,
				problem: `has a name with characters a header name cannot have ("${printable(name)}")`,
			};
		if (FRAMING_HEADERS.has(name.toLowerCase()))
			return { field, problem: `may not set ${name}: the HTTP client sets it for each request` };
		if (!HEADER_VALUE.test(value))
			return { field, problem: `has a value that contains ${unsendable(value)}` };
	}
	return undefined;
}

/** Names the first character that cannot be sent, without the value around it. */
function unsendable(value: string): string {
	const char = [...value].find((c) => !/[\x20-\x7e]/.test(c)) ?? ' ';
	const names: Record<string, string> = {
		'\n': 'a line break',
		'\r': 'a line break',
		'\t': 'a tab',
		' ': 'a space',
	};
	if (names[char]) return names[char];
	const code = char.codePointAt(0)!;
	return code < 0x20 || code === 0x7f
		? `a control character (U+${code.toString(16).toUpperCase().padStart(4, '0')})`
		: `a character outside ASCII (U+${code.toString(16).toUpperCase().padStart(4, '0')}), which an HTTP header cannot carry as typed`;
}

/** A header name as it may be shown: anything outside visible ASCII as "?". */
function printable(text: string): string {
	return [...text].map((char) => (/[\x20-\x7e]/.test(char) ? char : '?')).join('');
}
