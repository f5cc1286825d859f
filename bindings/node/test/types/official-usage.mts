// Written the way @cx-reports/api-client 0.1.7's README and examples/ use it, with the
// import changed to cxreports/official. official-types.test.js type-checks it in a fresh
// strict project (moduleResolution nodenext and bundler).
import { writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { CxReportsClient, CxReportsError, type Report, type Workspace, type NonceToken } from 'cxreports/official';

if (!process.env.BASE_URL || !process.env.AUTH_TOKEN) throw new Error('Missing required environment variables.');

const client = new CxReportsClient({
  baseUrl: process.env.BASE_URL,
  authToken: process.env.AUTH_TOKEN,
  defaultWorkspaceId: process.env.DEFAULT_WORKSPACE_ID,
  defaultTimezone: new Intl.DateTimeFormat().resolvedOptions().timeZone,
});
console.log(client.config.baseUrl, client.config.defaultTimezone);

// README
const pdf = client.downloadPDF({ reportId: 123, params: {} });
const reports = await client.getReports({ type: 'invoice' });
const types = await client.getReportTypes();
const workspaces = await client.getWorkspaces();
const nonce = await client.createNonceAuthToken();
const url = client.getReportPreviewURL({
  reportType: 'invoice',
  params: {},
  data: {},
  tmpDataId: 1,
  nonce,
});
console.log(await pdf, reports.length, types.length, workspaces.length, url.length);

// examples/fetch-reports.ts
const all: Report[] = await client.getReports();
const ws: Workspace[] = await client.getWorkspaces();
console.table(all);
console.table(ws);

// examples/build-preview-url.ts
try {
  const token: NonceToken = await client.createNonceAuthToken();
  const { tempDataId } = await client.pushTemporaryData({ content: { xyz: '123' } });
  const previewUrl: string = client.getReportPreviewURL({ reportId: 18620, nonce: token.nonce, tempDataId });
  console.log(previewUrl);
} catch (error) {
  console.error(error);
}

// examples/download-pdf.ts
try {
  const reportId: number = parseInt(process.env.DEFAULT_REPORT_ID ?? '1');
  const response = await client.downloadPDF({ reportId });
  const body = Readable.fromWeb(response.body as any);
  await writeFile('document.pdf', body);
  const length: string | null = response.headers.get('content-length');
  console.log('PDF downloaded', length);
} catch (error) {
  if (error instanceof CxReportsError) console.error(error.status, error.requestId, error.serverMessage);
}

// The rest of the official surface, in its argument shapes.
const some: Report[] = await client.getReports({ workspaceCode: 'main', query: { type: 'invoice', offset: 0, limit: 10 } });
const pdfUrl: string = client.getReportPdfDownloadURL({ workspaceId: 1, reportTypeCode: 'invoice', params: { a: 1 }, data: [1], timezone: 'UTC' });
const saved = await client.pushTemporaryData({ workspaceId: 1, content: [1, 2], expires: new Date() });
const expiry: string = saved.expiryDate;
const res: Response = await client.downloadPDF({ reportId: 1, nonce: 'n', tempDataId: saved.tempDataId }, AbortSignal.timeout(30_000));
const bytes: ArrayBuffer = await res.arrayBuffer();
console.log(some.length, pdfUrl, expiry, bytes.byteLength);
