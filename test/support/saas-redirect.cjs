'use strict';
/*
 * Preloaded into a bundle's process (bundle-runner.cjs) to send HTTPS calls for the SaaS hosts Warden talks
 * to (Slack's Web API and response URLs, Jira, GitHub) to a loopback fake instead, as
 * `<WARDEN_SAAS_REDIRECT>/<host><path>`. AWS endpoints are untouched: they follow AWS_ENDPOINT_URL.
 * Both transports the bundles use are covered: `fetch` (tickets, Slack response URLs) and `https.request`
 * (axios inside @slack/web-api).
 */
const http = require('node:http');
const https = require('node:https');

const HOSTS = new Set(['slack.com', 'hooks.slack.com', 'example.atlassian.net', 'api.github.com']);

function install(redirect) {
  const target = new URL(redirect);
  const redirected = (url) => (HOSTS.has(url.hostname) ? new URL(`/${url.hostname}${url.pathname}${url.search}`, target) : undefined);

  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    const to = redirected(url);
    if (!to) return realFetch(input, init);
    return typeof input === 'string' || input instanceof URL ? realFetch(to, init) : realFetch(new Request(to, input), init);
  };

  const realRequest = https.request;
  https.request = (...args) => {
    const options = typeof args[0] === 'string' || args[0] instanceof URL ? { ...urlOptions(new URL(args[0])), ...(typeof args[1] === 'object' ? args[1] : {}) } : args[0];
    const callback = args.find((arg) => typeof arg === 'function');
    const host = options.hostname ?? String(options.host ?? '').split(':')[0];
    const to = redirected(new URL(`https://${host}${options.path ?? '/'}`));
    if (!to) return realRequest(...args);
    const { agent: _agent, agents: _agents, ...rest } = options;
    return http.request({ ...rest, protocol: 'http:', hostname: to.hostname, host: to.hostname, port: to.port, path: `${to.pathname}${to.search}` }, callback);
  };
}

function urlOptions(url) {
  return { hostname: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, protocol: url.protocol };
}

if (process.env.WARDEN_SAAS_REDIRECT) install(process.env.WARDEN_SAAS_REDIRECT);
