// cxreports/official from CommonJS (official-types.test.js, nodenext).
import official = require('cxreports/official');

export async function main(baseUrl: string, authToken: string): Promise<number> {
  const client = new official.CxReportsClient({ baseUrl, authToken, defaultWorkspaceId: '1' });
  try {
    const res = await client.downloadPDF({ reportTypeCode: 'invoice' });
    return Number(res.headers.get('content-length'));
  } catch (e) {
    if (e instanceof official.CxReportsError) return e.status ?? 0;
    throw e;
  } finally {
    await client.close();
  }
}
