'use strict';
// Turns the constructor options (camelCase, milliseconds) into the config JSON of
// cx_client_new (snake_case, seconds). Unknown options are rejected: a typo such as
// `defaultWorkspaceID` must not silently send calls to the wrong workspace.

const { CxReportsError } = require('./errors');
const { msToSeconds, describe } = require('./units');
const { version } = require('../package.json');

const USER_AGENT = `cxreports-node/${version}`;

const OPTIONS = [
  'baseUrl',
  'defaultWorkspaceId',
  'token',
  'timeout',
  'maxRetries',
  'retryWaitMin',
  'retryWaitMax',
  'maxRetryAfter',
  'caBundle',
  'caBundlePem',
  'userAgentSuffix',
  'defaultTimezone',
];

// The library's names (config keys, arguments, methods) as a Node caller knows
// them: the library's messages ("check the base URL (baseUrl)") use these.
const NAMES = {
  base_url: 'baseUrl',
  default_workspace_id: 'defaultWorkspaceId',
  max_retries: 'maxRetries',
  retry_wait_min: 'retryWaitMin',
  retry_wait_max: 'retryWaitMax',
  max_retry_after: 'maxRetryAfter',
  ca_bundle_file: 'caBundle',
  ca_bundle_pem: 'caBundle',
  user_agent_suffix: 'userAgentSuffix',
  default_timezone: 'defaultTimezone',
  workspace_id: 'workspaceId',
  post_pdf: 'postPdf',
  push_temporary_data: 'pushTemporaryData',
};

function invalid(message) {
  return new CxReportsError(`cxreports: ${message}`, { code: 'invalid_config' });
}

function configJson(options) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalid('new CxReportsClient(options) needs an options object: { baseUrl, defaultWorkspaceId, token }');
  }
  for (const key of Object.keys(options)) {
    if (!OPTIONS.includes(key)) {
      throw invalid(`unknown option ${JSON.stringify(key)}; the options are ${OPTIONS.join(', ')}`);
    }
  }
  const o = options;
  const cfg = {
    base_url: o.baseUrl,
    default_workspace_id: o.defaultWorkspaceId,
    token: o.token,
    user_agent_suffix: o.userAgentSuffix ? `${USER_AGENT} ${o.userAgentSuffix}` : USER_AGENT,
    default_timezone: o.defaultTimezone,
  };
  try {
    // timeout is per HTTP attempt: undefined = the library's 60 s, Infinity = none.
    cfg.timeout = msToSeconds('timeout', o.timeout, -1);
    cfg.retry_wait_min = msToSeconds('retryWaitMin', o.retryWaitMin);
    cfg.retry_wait_max = msToSeconds('retryWaitMax', o.retryWaitMax);
    cfg.max_retry_after = msToSeconds('maxRetryAfter', o.maxRetryAfter);
  } catch (err) {
    err.code = 'invalid_config';
    throw err;
  }
  if (o.maxRetries !== undefined) {
    if (!Number.isInteger(o.maxRetries) || o.maxRetries < 0) {
      throw invalid(`maxRetries must be an integer >= 0 (0 = never retry), got ${describe(o.maxRetries)}`);
    }
    // The library reads 0 as "default (3)" and a negative number as "never".
    cfg.max_retries = o.maxRetries; // the library's 0 is "never" too
  }
  if (o.caBundle !== undefined) {
    if (Buffer.isBuffer(o.caBundle)) cfg.ca_bundle_pem = o.caBundle.toString('utf8');
    else if (typeof o.caBundle === 'string' && o.caBundle !== '') cfg.ca_bundle_file = o.caBundle;
    else throw invalid('caBundle must be the path of a PEM file (string) or the PEM bytes (Buffer)');
  }
  if (o.caBundlePem !== undefined) {
    if (typeof o.caBundlePem === 'string') cfg.ca_bundle_pem = o.caBundlePem;
    else if (Buffer.isBuffer(o.caBundlePem)) cfg.ca_bundle_pem = o.caBundlePem.toString('utf8');
    else throw invalid('caBundlePem must be PEM text (string or Buffer)');
  }
  for (const k of Object.keys(cfg)) if (cfg[k] === undefined) delete cfg[k];
  cfg.names = { ...NAMES, ca_bundle_pem: o.caBundlePem !== undefined ? 'caBundlePem' : 'caBundle' };
  return JSON.stringify(cfg);
}

module.exports = { configJson, USER_AGENT, OPTIONS, NAMES };
