/**
 * The hint under a failed request: what to do next, naming only options the node
 * that failed has (a hint about an option the panel does not show only misleads).
 */
import { MAX_SERVER_WAIT_MS } from '../defaults';
import type { Provider } from '../providers';
import type { FailureClass } from './failureClass';
import type { ProviderErrorInfo } from './providerError';

/**
 * The options of the node that sent the request, name → label as its panel shows
 * them. Absent where the request has no options of its own (the model list).
 */
export type OfferedOptions = Readonly<Record<string, string>>;

/** The labels, quoted, of those of the named options the node has, in the order given. */
function labels(offers: OfferedOptions | undefined, names: string[]): string[] {
	return names
		.map((name) => offers?.[name])
		.filter((label): label is string => label !== undefined)
		.map((label) => `"${label}"`);
}

/** Remedies as `[option name, verb]`, phrased in the order given, those the node has. */
function remedies(offers: OfferedOptions | undefined, wanted: Array<[string, string]>): string[] {
	return wanted.flatMap(([name, verb]) =>
		labels(offers, [name]).map((label) => `${verb} ${label}`),
	);
}

/** "a", "a or b", "a, b, or c". */
function either(parts: string[]): string {
	if (parts.length <= 2) return parts.join(' or ');
	return `${parts.slice(0, -1).join(', ')}, or ${parts[parts.length - 1]}`;
}

const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;

export function formatDuration(ms: number): string {
	return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** The node never follows redirects; the error says where the server pointed instead. */
export function redirectHint(location: string | undefined): string {
	const target = location ? ` The server points to ${location}.` : '';
	return `The server answered with a redirect, which the node does not follow: it would resend the request, API key included, to another address. Set the credential's Base URL to the final address.${target}`;
}

export interface HintFacts {
	failureClass: FailureClass;
	info: ProviderErrorInfo | undefined;
	provider: Provider;
	url: string;
	location?: string;
	askedToWaitMs?: number;
	offers?: OfferedOptions;
}

export function httpHint(facts: HintFacts): string | undefined {
	const { failureClass, info, provider, url, offers } = facts;
	if (failureClass === 'redirect') return redirectHint(facts.location);
	if (facts.askedToWaitMs !== undefined) {
		const lower = labels(offers, ['maxConcurrency', 'requestsPerMinute']);
		const or = lower.length > 0 ? `, or lower ${either(lower)}` : '';
		return `The server asked to wait ${formatDuration(facts.askedToWaitMs)} before trying again, longer than the node waits between attempts (${formatDuration(MAX_SERVER_WAIT_MS)}), so it did not retry early. Run the item again later${or}.`;
	}
	switch (failureClass) {
		case 'quota':
			return info?.code === 'insufficient_quota' || info?.type === 'insufficient_quota'
				? `The ${provider.displayName} account has no quota left: check its plan and billing. Retrying cannot help, so the node did not retry.`
				: `The ${provider.displayName} account is out of credits or needs a payment method: check its billing page. Retrying cannot help until then, so the node did not retry.`;
		case 'auth':
			return `Check the API key in the ${provider.displayName} credential (and that it may use this model).`;
		case 'unknown-model':
			return `Check the model ID (pick it from the list to be sure), and the credential's Base URL and API Version: the request went to ${url}.`;
		case 'bad-request': {
			const suspects = labels(offers, [
				'responseFormat',
				'tools',
				'maxTokens',
				'stop',
				'extraBody',
			]);
			const which = suspects.length > 0 ? ` (the model, ${suspects.join(', ')})` : '';
			return `${provider.displayName} refused the request as it was sent: check what the message names${which} for this model.`;
		}
		case 'rate-limit': {
			const fixes = remedies(offers, [
				['maxConcurrency', 'lower'],
				['requestsPerMinute', 'set'],
				['maxRetries', 'raise'],
			]);
			return `The provider kept rate-limiting. ${sentence(either(fixes.length > 0 ? fixes : ['try again later']))}`;
		}
		case 'server':
			return `The provider failed to answer. It is usually temporary: ${either(['try again later', ...remedies(offers, [['maxRetries', 'raise']])])}.`;
		case 'server-refused':
			return `The provider failed to answer, in a way another attempt does not change, so the node did not retry. Check the credential's Base URL and API Version: the request went to ${url}.`;
		default:
			return undefined;
	}
}

/** The hint under a timeout: raise the Timeout option where the node has one. */
export function timeoutHint(timeoutMs: number, offers: OfferedOptions | undefined): string {
	const label = offers?.timeout;
	return label
		? `No answer arrived within the ${label} option. Long generations can take minutes: raise "${label}" if needed.`
		: `No answer arrived within ${formatDuration(timeoutMs)}. Try again later.`;
}
