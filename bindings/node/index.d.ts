/// <reference types="node" />
import { Readable } from 'node:stream';
// Type declarations of the cxreports package (hand-written; the implementation is
// index.js). All durations are in MILLISECONDS, like Node's own timers.
//
// They use Node's own types (Buffer, AbortSignal, Symbol.asyncDispose), so
// @types/node is a dependency of the package and referenced above: they type-check
// in a project that has installed nothing but this package and TypeScript, whatever
// its `types` and `lib` settings (test/types.test.js checks that from the tarball).

/** A numeric id or a code ("main", "invoice", ...). */
export type Ref = number | string;

export interface ClientOptions {
  /** Tenant root, e.g. "https://tenant.cx-reports.app" (spaces and trailing '/' trimmed). */
  baseUrl: string;
  /** Workspace used when a call has no `workspaceId`; 0 is a valid id. */
  defaultWorkspaceId?: Ref;
  /** Personal access token (sent as Bearer; never appears in errors or logs). */
  token: string;
  /** Per HTTP attempt, in ms. Default 60000; Infinity = no limit. */
  timeout?: number;
  /** Retries of retryable failures (429, 5xx, connection). Default 3; 0 = never retry. */
  maxRetries?: number;
  /** First backoff between retries, ms (default 200). */
  retryWaitMin?: number;
  /** Longest backoff between retries, ms (default 5000). */
  retryWaitMax?: number;
  /** Cap on a server's Retry-After, ms (default 30000). */
  maxRetryAfter?: number;
  /** Extra trusted roots: the path of a PEM file, or the PEM bytes. */
  caBundle?: string | Buffer;
  /** Extra trusted roots as PEM text. */
  caBundlePem?: string | Buffer;
  /** Appended to the User-Agent after "cxreports-go/<ver> cxreports-node/<ver>". */
  userAgentSuffix?: string;
  /** Sent as `timezone` when a render call has none, e.g. "Europe/Belgrade". */
  defaultTimezone?: string;
}

export interface Progress {
  /** "waiting" (polling an export or job run) | "downloading" | "done" */
  stage: 'waiting' | 'downloading' | 'done' | string;
  /** Server status while waiting (InProgress, Completed, ...). */
  status?: string;
  polls: number;
  bytesDone: number;
  /** -1 when unknown. */
  bytesTotal: number;
  elapsedMs: number;
}

/** Accepted by every method. */
export interface CallOptions {
  /** Aborting cancels the request in the library and rejects with AbortError. */
  signal?: AbortSignal;
  /** Bounds the whole call (retries, polls), in ms. */
  timeout?: number;
}

export interface WorkspaceOptions extends CallOptions {
  /** Overrides the client's defaultWorkspaceId for this call. */
  workspaceId?: Ref;
}

export interface RenderOptions extends WorkspaceOptions {
  /** Theme id or code. */
  theme?: Ref;
  /** Template id or code. */
  template?: Ref;
}

/** Options of the downloads: postPdf, getExportContent, savePostPdf, saveExportContent. */
export interface DownloadOptions extends WorkspaceOptions {
  /**
   * Download progress, called on the thread that made the call: stage "downloading" with bytesDone 0
   * and bytesTotal (Content-Length, -1 unknown) when the answer starts, more
   * "downloading" events at most one per 64 KiB and 100 ms, then one "done" with
   * bytesDone === bytesTotal (save*: once the file is in place).
   */
  onProgress?: (progress: Progress) => void;
}

/** Options of getPdf and savePdf: a render with download progress. */
export interface RenderDownloadOptions extends RenderOptions {
  /** As DownloadOptions.onProgress. */
  onProgress?: (progress: Progress) => void;
}

export interface WaitOptions extends WorkspaceOptions {
  /** First delay between status polls, ms (default 500; grows x1.5 up to maxInterval). */
  pollInterval?: number;
  /** Longest delay between polls, ms (default 5000). */
  maxInterval?: number;
  /** Polling and download progress, called on the thread that made the call. */
  onProgress?: (progress: Progress) => void;
}

/** The `params` dict of get_pdf / get_preview_url (Python client 0.0.5 query rules). */
export interface PdfQuery {
  params?: Record<string, unknown>;
  tempDataId?: number;
  data?: string;
  timezone?: string;
  lang?: string;
  type?: string;
  includeAttachments?: boolean;
  theme?: string;
  template?: string;
  format?: string;
  excludePages?: number[];
  [key: string]: unknown;
}

/** Body of postPdf / startReportExport / savePostPdf / exportToFile. */
export interface RenderBody {
  params?: Record<string, unknown>;
  data?: unknown;
  tempDataId?: number;
  lang?: string;
  timezone?: string;
  /** Default "pdf". */
  format?: 'pdf' | 'docx' | 'xlsx' | 'pptx' | 'html' | string;
  includeAttachments?: boolean;
  excludePages?: number[];
  theme?: Ref;
  template?: Ref;
  [key: string]: unknown;
}

export interface JobRunBody {
  params?: Record<string, unknown>;
  data?: unknown;
  [key: string]: unknown;
}

// Server objects are passed through as plain objects; fields the server adds are kept.
export interface Workspace { id: number; name?: string; description?: string; code?: string; [key: string]: unknown }
export interface ReportType { id: number; name?: string; description?: string; code?: string; defaultReportId?: number; defaultReportName?: string; [key: string]: unknown }
export interface Theme { id: number; code?: string; name?: string; [key: string]: unknown }
export interface Template { id: number; code?: string; name?: string; [key: string]: unknown }
export interface Report { id: number; name?: string; reportTypeId?: number; reportTypeName?: string; reportTemplateName?: string; previewImage?: string; themeName?: string; isDefault?: boolean; [key: string]: unknown }
export interface ReportPage { id: number; name?: string; type?: 'page' | 'subreport' | 'document-merge' | string; [key: string]: unknown }
export interface ExportStart { temporaryFileId: number | string; [key: string]: unknown }
export interface ExportStatus { id?: number | string; status: 'InProgress' | 'Completed' | 'Failed' | string; isReady?: boolean; errorMessage?: string | null; expiryTime?: string; name?: string; contentSize?: number; contentType?: string; [key: string]: unknown }
export interface TemporaryData { tempDataId: number; expiryDate?: string; [key: string]: unknown }
export interface Nonce { nonce: string; [key: string]: unknown }
export interface Job { id: number; name?: string; description?: string; code?: string; reviewRequired?: boolean; isActive?: boolean; lastRunTime?: string | null; [key: string]: unknown }
export interface JobRunStart { jobRunId: number | string; [key: string]: unknown }
export interface JobRunStatus { finished: boolean; entries?: number; status?: { queued?: number; review?: number; completed?: number; errors?: number; [key: string]: unknown }; [key: string]: unknown }

/** What a save* / exportToFile call wrote. */
export interface Download {
  /** Absolute path of the written file. */
  path: string;
  bytes: number;
  contentType: string;
  filename?: string;
  /** exportToFile only. */
  temporaryFileId?: number | string;
}

export interface ReportsFilter { type?: string; offset?: number; limit?: number }

/** One render of renderBatch. */
export interface BatchItem {
  /** Report id or report-type code. */
  report: Ref;
  /** The file to write; relative to outDir when given (and must stay under it). */
  output: string;
  params?: Record<string, unknown>;
  data?: unknown;
  format?: string;
  theme?: Ref;
  template?: Ref;
  workspace?: Ref;
}

/** The outcome of one item, as it finishes. */
export interface BatchResult {
  /** Position in the items. */
  index: number;
  output: string;
  status: 'ok' | 'skipped' | 'failed';
  bytes: number;
  /** Stale temporaries (`.<output name>.<digits>.part`) a killed earlier run left beside this output, removed first. */
  removedTemps: number;
  /** Why a failed item failed (not thrown); code "invalid_input" for an output an earlier item already writes. */
  error: CxReportsError | null;
}

/** Counts of a batch so far, after each finished item. */
export interface BatchProgress {
  ok: number;
  failed: number;
  skipped: number;
  /** 429/503 answers the batch slowed down for. */
  throttled: number;
  /** Renders allowed in flight now: the number given, or where "auto" has got to. */
  limit: number;
  /** Stale temporaries removed so far (the sum of the results' removedTemps). */
  removedTemps: number;
  total: number;
  elapsedMs: number;
}

export interface BatchOptions extends CallOptions {
  /** Directory the items' outputs are relative to. */
  outDir?: string;
  /**
   * Renders in flight at once: "auto" (the default) starts at 2 and adapts to the
   * server's 429/503 answers; a positive integer N means exactly N.
   */
  concurrency?: number | 'auto';
  /** Render items whose output exists too (default: skip them, so a rerun resumes). */
  force?: boolean;
  /** 429/503 answers in a row, with no render accepted in between, the batch re-sends before it fails the refused items (default 50; 0 = none). */
  retries?: number;
  /** Counts after each finished item, called on the main thread. */
  onProgress?: (progress: BatchProgress) => void;
}

/**
 * A download read at the consumer's pace (openPdf, openPostPdf, openExportContent). A cut
 * before it opened starts over; after that it is destroyed with a CxReportsError of code
 * "connection", never restarted.
 */
export declare class ReportStream extends Readable {
  /** The answer's Content-Type. */
  readonly contentType: string;
  /** The file name the server gave (Content-Disposition), or null. */
  readonly filename: string | null;
  /** The Content-Length, or null when the server sent none. */
  readonly length: number | null;
}

export declare class CxReportsClient {
  /** Throws CxReportsError (code "invalid_config") when the options are rejected. */
  constructor(options: ClientOptions);

  getWorkspaces(opts?: CallOptions): Promise<Workspace[]>;
  getReportTypes(opts?: WorkspaceOptions): Promise<ReportType[]>;
  getThemes(opts?: WorkspaceOptions): Promise<Theme[]>;
  getTemplates(opts?: WorkspaceOptions): Promise<Template[]>;
  /** A string filter is the report type. */
  getReports(filter?: ReportsFilter | string, opts?: WorkspaceOptions): Promise<Report[]>;
  getReportPages(reportId: Ref, opts?: WorkspaceOptions): Promise<ReportPage[]>;

  getPdf(reportId: Ref, params?: PdfQuery | null, opts?: RenderDownloadOptions): Promise<Buffer>;
  postPdf(reportId: Ref, body?: RenderBody | null, opts?: DownloadOptions): Promise<Buffer>;
  /** Streams the PDF to `path` (written by the library, then renamed into place). */
  savePdf(reportId: Ref, path: string, params?: PdfQuery | null, opts?: RenderDownloadOptions): Promise<Download>;
  savePostPdf(reportId: Ref, path: string, body?: RenderBody | null, opts?: DownloadOptions): Promise<Download>;
  /** The get_pdf URL, built without a network call; it carries no token. */
  getPdfUrl(reportId: Ref, params?: PdfQuery | null, opts?: RenderOptions): Promise<string>;

  startReportExport(reportId: Ref, body?: RenderBody | null, opts?: WorkspaceOptions): Promise<ExportStart>;
  getExportStatus(tempFileId: Ref, opts?: WorkspaceOptions): Promise<ExportStatus>;
  getExportContent(tempFileId: Ref, opts?: DownloadOptions): Promise<Buffer>;
  saveExportContent(tempFileId: Ref, path: string, opts?: DownloadOptions): Promise<Download>;
  /** Polls until Completed; a Failed export rejects with code "export_failed". */
  waitForExport(tempFileId: Ref, opts?: WaitOptions): Promise<ExportStatus>;
  /** startReportExport + waitForExport + saveExportContent. */
  exportToFile(reportId: Ref, path: string, body?: RenderBody | null, opts?: WaitOptions): Promise<Download>;

  /**
   * Sends `data` as the temporary data's content ({"content": data}). Called with no
   * `opts`, a plain object whose keys are all among content, workspaceId, workspaceCode,
   * expires and include content (the argument of @cx-reports/api-client's
   * pushTemporaryData) is refused with code "invalid_argument" naming the right call:
   * pushTemporaryData(content, { workspaceId, expiryDate }), or cxreports/official. If
   * such an object really is your data, pass `opts` (even {}) and it is sent as it is.
   */
  pushTemporaryData(data: unknown, opts?: WorkspaceOptions & { expiryDate?: string }): Promise<TemporaryData>;
  createAuthToken(opts?: CallOptions): Promise<Nonce>;
  /** Creates a fresh single-use nonce per URL; `data` is pushed as temporary data first. */
  getPreviewUrl(reportId: Ref, queryParams?: PdfQuery | null, opts?: WorkspaceOptions & { data?: unknown }): Promise<string>;

  getJobs(opts?: WorkspaceOptions): Promise<Job[]>;
  startJobRun(jobId: Ref, body?: JobRunBody | null, opts?: WorkspaceOptions): Promise<JobRunStart>;
  getJobRunStatus(jobId: Ref, runId: Ref, opts?: WorkspaceOptions): Promise<JobRunStatus>;
  getRunReviewDocument(jobId: Ref, runId: Ref, opts?: WorkspaceOptions): Promise<ExportStart>;
  deliverJobRunEntries(jobId: Ref, runId: Ref, opts?: WorkspaceOptions): Promise<void>;
  waitForJobRun(jobId: Ref, runId: Ref, opts?: WaitOptions): Promise<JobRunStatus>;

  /**
   * Renders many reports with bounded concurrency; iterate with `for await` to get each
   * item's result as it finishes. Outputs are written atomically and skipped when they
   * exist (unless force), after removing the temporaries a killed earlier run left
   * beside them; 429/503 answers slow the batch down; a bad item fails alone, and so
   * does an item whose output is the same file as an earlier item's (nothing is sent
   * for it). Leaving the loop early, or the signal, cancels the renders in flight.
   */
  renderBatch(items: BatchItem[], opts?: BatchOptions): AsyncGenerator<BatchResult, void, undefined>;

  /**
   * The downloads as streams: each resolves, once the answer's headers are in, to a
   * ReportStream (a Readable: `for await`, `pipeline`) that downloads only as fast as it
   * is read, so memory stays flat for any size; `destroy()` cancels the download, and so
   * does the signal, also after the stream was opened.
   */
  openPdf(reportId: Ref, params?: PdfQuery | null, opts?: RenderOptions): Promise<ReportStream>;
  openPostPdf(reportId: Ref, body?: RenderBody | null, opts?: WorkspaceOptions): Promise<ReportStream>;
  openExportContent(tempFileId: Ref, opts?: WorkspaceOptions): Promise<ReportStream>;

  /** Cancels calls in flight (they reject with AbortError) and frees the client. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export type ErrorCode =
  | 'unauthenticated' | 'not_found' | 'http_error' | 'timeout' | 'canceled' | 'connection'
  | 'invalid_input' | 'invalid_response' | 'invalid_config' | 'export_failed' | 'io_error'
  | 'invalid_argument' | 'unknown_method' | 'invalid_handle' | 'binary_result' | 'internal';

export declare class CxReportsError extends Error {
  /** Stable code, see ErrorCode. */
  code: ErrorCode | string;
  /** HTTP status, null when there was no response. */
  status: number | null;
  /** The server's own error text ({"error"}, problem details, or a short body). */
  serverMessage: string | null;
  /** X-Request-Id (or similar) of the failed response. */
  requestId: string | null;
  method: string | null;
  /** URL without credentials. */
  url: string | null;
  retryable: boolean;
}
export declare class UnauthenticatedError extends CxReportsError {}
export declare class NotFoundError extends CxReportsError {}
export declare class TimeoutError extends CxReportsError {}
/** name === 'AbortError', code === 'canceled'. */
export declare class AbortError extends CxReportsError {}
export { UnauthenticatedError as CxUnauthenticatedError, NotFoundError as CxNotFoundError, TimeoutError as CxTimeoutError, AbortError as CxAbortError };

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
/** Routes the log lines (never containing the token) of this thread's clients to `fn`; null = off. Per thread (main or worker); dropped when the thread ends. */
export declare function setLogHandler(fn: ((level: LogLevel, message: string) => void) | null, options?: { level?: LogLevel }): void;
export declare function versions(): { package: string; library: { version: string; abi: number; go: string }; file: string; userAgent: string };
/** The libcxreports.so this package would load (CXREPORTS_LIB, else the bundled one). */
export declare function libraryPath(): string;
export declare const version: string;

declare const cxreports: {
  CxReportsClient: typeof CxReportsClient;
  CxReportsError: typeof CxReportsError;
  UnauthenticatedError: typeof UnauthenticatedError;
  NotFoundError: typeof NotFoundError;
  TimeoutError: typeof TimeoutError;
  AbortError: typeof AbortError;
  CxUnauthenticatedError: typeof UnauthenticatedError;
  CxNotFoundError: typeof NotFoundError;
  CxTimeoutError: typeof TimeoutError;
  CxAbortError: typeof AbortError;
  setLogHandler: typeof setLogHandler;
  versions: typeof versions;
  libraryPath: typeof libraryPath;
  version: string;
};
export default cxreports;
