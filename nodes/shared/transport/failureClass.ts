/** What a failed HTTP answer is: the one classification both the retry decision and the hint read. */
import { STREAM_CUT, TIMED_OUT } from './body';
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

/** How a request finally failed, as the transport saw it: the HTTP answer, or the network failure. */
export type FinalFailure = { status: number; body: unknown } | { code?: string; message: string };

// Kept beside the error, not in it: nothing extra reaches the error output or the UI.
const finalFailures = new WeakMap<object, FinalFailure>();

/** The transport marks each error it throws with what failed, for the fallback decision. */
export function markFailure<E extends object>(error: E, failure: FinalFailure): E {
	finalFailures.set(error, failure);
	return error;
}

/** A prompt longer than the model's context: another model (a larger context) may take it. */
const CONTEXT_LENGTH =
	/context[ _-]?(length|window)|maximum context|too many (input )?tokens|prompt is too long|input (is )?too long|reduce the length/i;
/** A refusal on content grounds: sending the same prompt to another model would be a safety bypass. */
const CONTENT_POLICY = /content[ _-]?(policy|filter|management)|safety|moderation|flagged/i;

/** Network failures another model on the same endpoint may not share: the model's own slowness. */
const TIMEOUT_CODES = new Set([TIMED_OUT, 'ETIMEDOUT', 'ECONNABORTED']);

/**
 * Whether a request that failed after its own retries may go to a fallback model: a 5xx or a
 * timeout, a 429 the retries did not clear, an unknown or unavailable model, a prompt too long
 * for the context. Never an auth, billing/quota or content-policy failure, never a stream cut
 * after part of the reply was relayed, never bad input the next model would refuse too.
 */
export function mayFallBack(error: unknown): boolean {
	const failure =
		typeof error === 'object' && error !== null ? finalFailures.get(error) : undefined;
	if (!failure) return false;
	if (!('status' in failure)) {
		if (failure.code === STREAM_CUT) return false;
		return TIMEOUT_CODES.has(failure.code ?? '') || /timeout/i.test(failure.message);
	}
	const info = providerErrorInfo(failure.body);
	const said = `${info?.message ?? ''} ${info?.type ?? ''} ${info?.code ?? ''}`;
	if (CONTENT_POLICY.test(said)) return false;
	switch (classifyHttpFailure(failure.status, failure.body)) {
		case 'server':
		case 'server-refused':
		case 'rate-limit':
		case 'unknown-model':
		case 'transient':
			return true;
		case 'bad-request':
			return CONTEXT_LENGTH.test(said);
		default:
			return false;
	}
}
