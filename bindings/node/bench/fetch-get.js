'use strict';
// What the benchmark workers' fetch variants share: the requests a hand-written client
// makes with fetch, as the official TypeScript client does.

// bearerGet returns get(url): a GET with the Bearer token that throws on an HTTP error
// status and resolves to the Response.
function bearerGet(token) {
  const headers = { Authorization: `Bearer ${token}` };
  return async function get(url) {
    const res = await fetch(url, { headers });
    if (!res.ok) throw new Error(`HTTP ${res.status} for ${url}`);
    return res;
  };
}

// base64urlJSON is get_pdf's params value before any percent-encoding: base64url of the
// JSON text, padding kept.
function base64urlJSON(value) {
  return Buffer.from(JSON.stringify(value)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

module.exports = { bearerGet, base64urlJSON };
