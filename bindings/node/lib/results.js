'use strict';
// Shapes of what the library hands back that are the library's own (snake_case): the
// Download of save*/exportToFile and progress events. Server objects (workspaces,
// reports, statuses, ...) are already camelCase and are passed through untouched.

/** Download {path, bytes, content_type, filename, temporary_file_id} -> camelCase. */
function download(d) {
  if (d === null || typeof d !== 'object') return d;
  const out = {
    path: d.path,
    bytes: d.bytes,
    contentType: d.content_type,
  };
  if (d.filename) out.filename = d.filename;
  if (d.temporary_file_id !== undefined && d.temporary_file_id !== null && d.temporary_file_id !== '') {
    out.temporaryFileId = d.temporary_file_id;
  }
  return out;
}

/** Progress {stage, status, polls, bytes_done, bytes_total, elapsed (s)} -> camelCase, ms. */
function progress(e) {
  const out = {
    stage: e.stage,
    polls: e.polls || 0,
    bytesDone: e.bytes_done || 0,
    bytesTotal: e.bytes_total === undefined ? -1 : e.bytes_total,
    elapsedMs: typeof e.elapsed === 'number' ? Math.round(e.elapsed * 1000) : 0,
  };
  if (e.status) out.status = e.status;
  return out;
}

/**
 * A render_batch item event -> { index, output, status, bytes, removedTemps,
 * error: CxReportsError | null }. removed_temps: stale temporaries a killed earlier run
 * left beside this item's output, removed before it was rendered or skipped.
 */
function batchItem(e) {
  const { errorFromEnvelope } = require('./errors');
  return {
    index: e.index,
    output: e.output,
    status: e.status,
    bytes: e.bytes || 0,
    removedTemps: e.removed_temps || 0,
    error: e.error ? errorFromEnvelope(e.error) : null,
  };
}

/**
 * A render_batch counts event -> { ok, failed, skipped, throttled, limit, removedTemps,
 * total, elapsedMs }. limit: renders allowed in flight now (it moves with "auto").
 */
function batchProgress(e) {
  return {
    ok: e.ok || 0,
    failed: e.failed || 0,
    skipped: e.skipped || 0,
    throttled: e.throttled || 0,
    limit: e.limit || 0,
    removedTemps: e.removed_temps || 0,
    total: e.total || 0,
    elapsedMs: typeof e.elapsed === 'number' ? Math.round(e.elapsed * 1000) : 0,
  };
}

module.exports = { download, progress, batchItem, batchProgress };
