// ES module entry: re-exports the CommonJS build so `import` and `require` share one
// loaded library and one set of error classes (instanceof works across both).
import cxreports from './index.js';

export const {
  CxReportsClient,
  ReportStream,
  CxReportsError,
  UnauthenticatedError,
  NotFoundError,
  TimeoutError,
  AbortError,
  CxUnauthenticatedError,
  CxNotFoundError,
  CxTimeoutError,
  CxAbortError,
  setLogHandler,
  versions,
  libraryPath,
  version,
} = cxreports;

export default cxreports;
