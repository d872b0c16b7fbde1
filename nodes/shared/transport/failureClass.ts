/** What a failed HTTP answer is: the one classification both the retry decision and the hint read. */
import { providerErrorInfo } from './providerError';

export type FailureClass =
	/** 3xx: never followed, so never retried either. */
	| 'redirect'
	/** A limit per second or minute: it clears by itself, so a later attempt can succeed. */
	| 'rate-limit'
	/** No credit or quota left (402, or a 429 that says so): only the account's owner can cure it. */
	| 'quota'
	| 'auth'
	| 'unknown-model'
	| 'bad-request'
	/** 500/502/503/504: usually temporary. */
	| 'server'
	/** Any other 5xx (501 Not Implemented, 505 …): the same request gets the same answer. */
	| 'server-refused'
	/** 408 and 409: a later attempt can succeed. */
	| 'transient'
	| 'other';

const RETRYABLE: ReadonlySet<FailureClass> = new Set(['rate-limit', 'server', 'transient']);

export const isRetryableClass = (failureClass: FailureClass) => RETRYABLE.has(failureClass);

/** What providers say when the model named does not exist (OpenAI and the router answer 400). */
const UNKNOWN_MODEL =
	/model\b[^.]*?(not found|does not exist|not exist|unknown|not supported|not available)|(invalid|unknown) model|model_not_found/i;
/** Words of an account out of money or quota. */
const OUT_OF_CREDIT = /credit|billing|quota|payment|balance/i;
/**
 * Words of a limit per unit of time. Together's free tier answers 429 "You have been rate
 * limited. Your rate limit is 60 queries per minute. Please navigate to …/billing to upgrade"
 * (type `credit_limit`): billing is named, but the limit is per minute and clears by itself.
 */
const PER_TIME =
	/rate[ _-]?limit|too many requests|per (second|minute|hour|min\b)|\/ ?(s|sec|min|minute)\b|\b[rt]p[sm]\b/i;

/** `insufficient_quota` is OpenAI's own word for "no quota left", whatever the message says. */
function saysQuotaExhausted(type?: string, code?: string): boolean {
	return type === 'insufficient_quota' || code === 'insufficient_quota';
}

export function classifyHttpFailure(status: number, body: unknown): FailureClass {
	if (status >= 300 && status < 400) return 'redirect';
	const info = providerErrorInfo(body);
	const said = `${info?.message ?? ''} ${info?.code ?? ''}`;
	if (status === 402) return 'quota';
	if (status === 429) {
		if (saysQuotaExhausted(info?.type, info?.code)) return 'quota';
		if (PER_TIME.test(said)) return 'rate-limit';
		return OUT_OF_CREDIT.test(said) ? 'quota' : 'rate-limit';
	}
	if (status === 401 || status === 403) return 'auth';
	if (status === 404) return 'unknown-model';
	if (status === 400 || status === 422) {
		return UNKNOWN_MODEL.test(said) ? 'unknown-model' : 'bad-request';
	}
	if (status === 408 || status === 409) return 'transient';
	if (status === 500 || status === 502 || status === 503 || status === 504) return 'server';
	if (status >= 500) return 'server-refused';
	return 'other';
}
