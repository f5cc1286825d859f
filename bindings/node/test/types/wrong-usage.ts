// Each line below must be a type error; types.test.js checks that tsc reports all of them.
import { CxReportsClient } from 'cxreports';
const c = new CxReportsClient({ baseUrl: 'x', token: 't' });
c.getPdfUrl(160, null, { onProgress: () => {} }); // no progress on getPdfUrl
c.getPdf(160, null, { workspaceID: 1 }); // typo in an option
new CxReportsClient({ baseUrl: 'x' }); // token missing
const n: number = c.getWorkspaces(); // a Promise, not a value
c.renderBatch([], { concurrency: 'fast' }); // a number or 'auto'
