'use strict';
// Renders report 160 to a PDF file from Node.
//   CXREPORTS_URL=... CXREPORTS_TOKEN=... CXREPORTS_WORKSPACE=1 node render-pdf.js out.pdf
// (scripts/with-fake.sh sets those variables for the fake server; `make demo-node` does.)

const path = require('node:path');
const { CxReportsClient, CxReportsError } = require('..');

async function main() {
  const out = process.argv[2] || 'report.pdf';
  const { CXREPORTS_URL, CXREPORTS_TOKEN, CXREPORTS_WORKSPACE } = process.env;
  if (!CXREPORTS_URL || !CXREPORTS_TOKEN) {
    console.error('set CXREPORTS_URL and CXREPORTS_TOKEN (and CXREPORTS_WORKSPACE), or run via scripts/with-fake.sh');
    process.exit(2);
  }
  const client = new CxReportsClient({
    baseUrl: CXREPORTS_URL,
    token: CXREPORTS_TOKEN,
    defaultWorkspaceId: CXREPORTS_WORKSPACE ? Number(CXREPORTS_WORKSPACE) : undefined,
  });
  try {
    const reports = await client.getReports({ type: 'invoice' });
    console.log(`reports of type invoice: ${reports.map((r) => `${r.id} ${r.name}`).join(', ')}`);
    // The library streams the PDF to the file; Node never holds it in memory.
    const d = await client.savePdf(reports[0].id, path.resolve(out), {
      params: { title: 'Rendered from Node.js' },
      timezone: 'UTC',
    });
    console.log(`wrote ${d.path} (${d.bytes} bytes, ${d.contentType})`);
  } finally {
    await client.close();
  }
}

main().catch((err) => {
  if (err instanceof CxReportsError) console.error(`${err.name} [${err.code}]: ${err.message}`);
  else console.error(err);
  process.exit(1);
});
