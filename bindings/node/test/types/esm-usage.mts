import cx, { CxReportsClient, CxReportsError, NotFoundError, AbortError, type Download, type Progress } from 'cxreports';
async function main(): Promise<void> {
  const c = new CxReportsClient({ baseUrl: 'x', token: 't', defaultWorkspaceId: 1, timeout: 1000 });
  const ws = await c.getWorkspaces({ signal: AbortSignal.timeout(10) });
  const id: number = ws[0].id;
  const b: Buffer = await c.getPdf(160, { params: { a: 1 } }, { theme: 'dark', workspaceId: 'main' });
  const d: Download = await c.exportToFile(160, 'x.pdf', { data: {} }, { onProgress: (p: Progress) => p.bytesDone, pollInterval: 100 });
  const saved: Download = await c.savePdf(160, 'x.pdf', null, { theme: 'dark', onProgress: (p: Progress) => p.bytesTotal });
  const content: Buffer = await c.getExportContent(7, { onProgress: (p) => p.stage, workspaceId: 2 });
  await c.deliverJobRunEntries(42, 1);
  for await (const r of c.renderBatch([{ report: 160, output: 'a.pdf' }], { concurrency: 'auto', onProgress: (p) => p.limit + p.removedTemps })) {
    const removed: number = r.removedTemps;
    console.log(removed);
  }
  c.renderBatch([], { concurrency: 8 });
  try { await c.getReports({ type: 'x' }); } catch (e) { if (e instanceof NotFoundError) { const s: number | null = e.status; } if (e instanceof CxReportsError) e.serverMessage; }
  const e2 = new cx.AbortError('x');
  console.log(id, b.length, d.bytes, saved.bytes, content.length, e2 instanceof AbortError);
  await c.close();
}
main();
