import cxr = require('cxreports');
const c = new cxr.CxReportsClient({ baseUrl: 'x', token: 't' });
c.getThemes().then((t) => t.map((x) => x.code));
