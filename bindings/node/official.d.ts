/// <reference types="node" />
// Type declarations of cxreports/official (hand-written; the implementation is
// lib/official.js): the surface and argument shapes of the official TypeScript client
// (@cx-reports/api-client 0.1.7), so that code written for it type-checks after changing
// the import. Response, ReadableStream and AbortSignal are Node's globals (@types/node).

import { CxReportsError } from './index.js';
export { CxReportsError };

export interface CxReportsClientConfig {
  /** Tenant root, e.g. "https://tenant.cx-reports.app" (a trailing '/' is removed). */
  baseUrl: string;
  /** Personal access token (sent as Bearer; never appears in errors or URLs). */
  authToken: string;
  /** Workspace id or code used when a call names none. */
  defaultWorkspaceId?: string | number;
  /** Sent as `timezone` when a PDF or URL call has none, e.g. "Europe/Belgrade". */
  defaultTimezone?: string;
}

export interface WorkspaceIdParams {
  /** Wins over workspaceCode and the default. */
  workspaceId?: number | string;
  workspaceCode?: string;
}

export interface ReportIdParams {
  /** Wins over reportTypeCode. */
  reportId?: number | string;
  /** A report type's code (e.g. "invoice"): its default report. */
  reportTypeCode?: string;
  /** @deprecated The official README's spelling of reportTypeCode (ignored there, taken here). */
  reportType?: string;
}

export interface ReportPreviewParams {
  /** The report's parameters; sent as JSON. */
  params?: unknown;
  /** Data for the report; sent as JSON. Large data: pushTemporaryData and tempDataId. */
  data?: unknown;
  tempDataId?: number | string;
  /** createNonceAuthToken()'s nonce (its whole { nonce } result is taken too). */
  nonce?: string | NonceToken;
  /** Default: config.defaultTimezone. */
  timezone?: string;
  /** @deprecated The official README's spelling of tempDataId (ignored there, taken here). */
  tmpDataId?: number | string;
}

export type ReportCallParams = WorkspaceIdParams & ReportIdParams & ReportPreviewParams;

export interface ReportsQuery {
  /** A report type's code. */
  type?: string;
  offset?: number;
  limit?: number;
}

export interface Workspace { id: number; name: string; description?: string; code: string }
export interface Report {
  id: number;
  name: string;
  reportTypeId: number;
  reportTypeName: string;
  reportTemplateName: string;
  previewImage?: string;
  themeName?: string;
  isDefault: boolean;
}
export interface ReportType { id: number; name: string; description?: string; code: string; defaultReportId?: number; defaultReportName?: string }
export interface NonceToken { nonce: string }
export interface TemporaryData { tempDataId: number; expiryDate: string }

/**
 * The official client's surface over this package's library (same retries, timeouts and
 * cancellation as the main cxreports client). Failures reject (or, for the two URL
 * builders, throw) CxReportsError with the server's message, status and request id.
 * Each network method takes an AbortSignal as an extra last argument.
 */
export declare class CxReportsClient {
  /** Throws CxReportsError (code "invalid_config") when baseUrl or authToken is refused. */
  constructor(config: CxReportsClientConfig);
  /** Read at each call; a changed baseUrl or authToken gets a fresh connection. */
  config: CxReportsClientConfig;

  getWorkspaces(signal?: AbortSignal): Promise<Workspace[]>;
  /** Not in the official client, though its README calls it. */
  getReportTypes(params?: WorkspaceIdParams, signal?: AbortSignal): Promise<ReportType[]>;
  /** Filter with query: { type, offset, limit }; a top-level type/offset/limit (as in the official README) is taken too. */
  getReports(params?: WorkspaceIdParams & ReportsQuery & { query?: ReportsQuery }, signal?: AbortSignal): Promise<Report[]>;
  /** GET .../pdf: a Response with Content-Type and Content-Length whose body streams. */
  downloadPDF(params: ReportCallParams, signal?: AbortSignal): Promise<Response>;
  /** The PDF download URL, synchronous and offline; it carries no token. */
  getReportPdfDownloadURL(params: ReportCallParams): string;
  /** The iframe preview URL, synchronous and offline, with the caller's nonce. */
  getReportPreviewURL(params: ReportCallParams): string;
  createNonceAuthToken(signal?: AbortSignal): Promise<NonceToken>;
  /** POST .../temporary-data; expires is a Date (or an ISO 8601 string). */
  pushTemporaryData(params: WorkspaceIdParams & { content: unknown; expires?: Date | string }, signal?: AbortSignal): Promise<TemporaryData>;

  /** Not in the official client: frees the library's client; calls in flight reject with AbortError. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

declare const official: {
  CxReportsClient: typeof CxReportsClient;
  CxReportsError: typeof CxReportsError;
};
export default official;
