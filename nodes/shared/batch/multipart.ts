// A multipart/form-data body built as text: n8n's HTTP helper sends a string as it is, and the
// package may not ship a form-data library (no runtime dependencies).

export interface MultipartBody {
	body: string;
	contentType: string;
}

const CRLF = '\r\n';

function newBoundary(): string {
	let tag = '';
	while (tag.length < 24) tag += Math.floor(Math.random() * 36).toString(36);
	return `----llmChatBatch${tag}`;
}

/** Form fields, then one file; the boundary is one that occurs in none of them. */
export function multipartBody(
	fields: Record<string, string>,
	file: { name: string; fileName: string; contentType: string; content: string },
): MultipartBody {
	let boundary = newBoundary();
	const texts = [...Object.values(fields), file.content];
	while (texts.some((text) => text.includes(boundary))) boundary = newBoundary();
	const parts = Object.entries(fields).map(
		([name, value]) =>
			`--${boundary}${CRLF}Content-Disposition: form-data; name="${name}"${CRLF}${CRLF}${value}${CRLF}`,
	);
	parts.push(
		`--${boundary}${CRLF}Content-Disposition: form-data; name="${file.name}"; filename="${file.fileName}"${CRLF}` +
			`Content-Type: ${file.contentType}${CRLF}${CRLF}`,
		file.content,
		`${CRLF}--${boundary}--${CRLF}`,
	);
	return { body: parts.join(''), contentType: `multipart/form-data; boundary=${boundary}` };
}
