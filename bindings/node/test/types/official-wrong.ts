import { CxReportsClient } from 'cxreports/official';
export async function wrong(): Promise<void> {
  const client = new CxReportsClient({ baseUrl: 'http://x', authToken: 't' });
  new CxReportsClient({ baseUrl: 'http://x', token: 't' });
  await client.getReports('invoice');
  const url: Promise<string> = client.getReportPreviewURL({ reportId: 1 });
  const pdf: Buffer = await client.downloadPDF({ reportId: 1 });
  await client.pushTemporaryData({ workspaceId: 1 });
  console.log(url, pdf);
}
