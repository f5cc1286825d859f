// ES module entry of cxreports/official: re-exports the CommonJS build (official.js).
import official from './official.js';

export const { CxReportsClient, CxReportsError } = official;

export default official;
