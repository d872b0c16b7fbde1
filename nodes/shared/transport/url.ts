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

/** Returns a reason when the base URL cannot be used, so bad input fails before any request. */
export function baseUrlProblem(baseUrl: unknown): string | undefined {
	if (typeof baseUrl !== 'string' || baseUrl.trim() === '') return 'is empty';
	let url: URL;
	try {
		url = new URL(baseUrl.trim());
	} catch {
		return `"${baseUrl}" is not a valid URL`;
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		return `must start with http:// or https:// (got "${url.protocol}")`;
	}
	return undefined;
}
