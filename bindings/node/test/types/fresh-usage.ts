// Compiled by types.test.js in a fresh project that has installed nothing but the
// cxreports tarball and TypeScript (the pinned one; under make check-latest the newest):
// only what index.d.ts brings with it.
import { CxReportsClient, CxReportsError, NotFoundError, type Download, type Progress } from 'cxreports';

export async function main(url: string, token: string): Promise<number> {
  await using client = new CxReportsClient({ baseUrl: url, token, defaultWorkspaceId: 1, caBundle: Buffer.from('') });
  const pdf: Buffer = await client.getPdf(160, { params: { title: 'Q1' } });
  const saved: Download = await client.savePdf(160, 'report.pdf', {}, {
    signal: AbortSignal.timeout(30_000),
    onProgress: (p: Progress) => p.bytesDone,
  });
  try {
    await client.getReportPages(999999);
  } catch (e) {
    if (e instanceof NotFoundError) return e.status ?? 0;
    if (e instanceof CxReportsError) throw new Error(e.code);
  }
  return pdf.length + saved.bytes;
}
