/**
 * The one function that joins `{base}/{version}/{path}`: whatever slashes the user
 * typed around the base URL and the version, exactly one separates each part, and an
 * empty version adds nothing.
 */
export function joinUrl(baseUrl: string, apiVersion: string | undefined, path: string): string {
	const base = baseUrl.trim().replace(/\/+$/, '');
	const parts = [apiVersion ?? '', path]
		.map((part) => part.trim().replace(/^\/+|\/+$/g, ''))
		.filter((part) => part !== '');
	return [base, ...parts].join('/');
}

/**
 * Returns a reason when the base URL cannot be used, so bad input fails before any
 * request. The reason never repeats a user name or password typed into the URL.
 */
export function baseUrlProblem(baseUrl: unknown): string | undefined {
	if (typeof baseUrl !== 'string' || baseUrl.trim() === '') return 'is empty';
	const typed = baseUrl.trim();
	let url: URL;
	try {
		url = new URL(typed);
	} catch {
		return `"${withoutUserInfo(typed)}" is not a valid URL`;
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		return `must start with http:// or https:// (got "${url.protocol}")`;
	}
	// The HTTP client would send them as Basic authentication in place of the key, and
	// every error naming the URL would print the password.
	if (url.username !== '' || url.password !== '') {
		return 'must not contain a user name or password ("user:password@"): put the key in the API Key field, and other credentials in Custom Headers';
	}
	// The endpoint's path is appended to the base URL: it would land inside the query or fragment.
	if (typed.includes('?')) {
		return 'must not contain a query ("?…"): a key belongs in the API Key field, other parameters in Custom Headers';
	}
	if (typed.includes('#')) return 'must not contain a fragment ("#…")';
	return undefined;
}

/** A URL as it may be shown: whatever stands between `//` and `@` masked. */
export function withoutUserInfo(url: string): string {
	return url.replace(/\/\/[^/?#]*@/, '//***@');
}
