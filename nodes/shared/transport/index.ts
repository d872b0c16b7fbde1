/** The transport's surface: what the rest of the package may use of it. */
export type { RequestPolicy } from './apiRequest';
export { apiRequest } from './apiRequest';
export type { Endpoint, RequestContext } from './endpoint';
export { resolveEndpoint } from './endpoint';
export type { OfferedOptions } from './hints';
export type { StreamReader } from './send';
