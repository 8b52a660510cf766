// Terrarium's Node.js runtime: loads the handler and loops on the Lambda Runtime API.
'use strict';
const http = require('http');
const path = require('path');
const { pathToFileURL } = require('url');

const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1, noDelay: true });
const BASE = '/2018-06-01/runtime';

function call(method, p, body, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port, method, path: BASE + p, agent, headers: headers || {} }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// Response streaming, as Lambda's Node.js runtime offers it: awslambda.streamifyResponse(handler) makes the handler
// (event, responseStream, context); the stream is the chunked POST of the response to the Runtime API.
const HANDLER_STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
globalThis.awslambda = {
  streamifyResponse(handler) {
    handler[HANDLER_STREAMING] = 'response';
    return handler;
  },
  HttpResponseStream: class HttpResponseStream {
    static from(stream, prelude) {
      stream.setContentType('application/vnd.awslambda.http-integration-response');
      stream.write(JSON.stringify(prelude || {}));
      stream.write(new Uint8Array(8));
      return stream;
    }
  },
};

function streamResponse(fn, event, context, requestId) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port, method: 'POST', agent, path: `${BASE}/invocation/${requestId}/response`,
      headers: { 'Lambda-Runtime-Function-Response-Mode': 'streaming', 'Transfer-Encoding': 'chunked',
        'Content-Type': 'application/octet-stream' } }, (res) => { res.resume(); res.on('end', () => resolve(true)); });
    req.on('error', reject);
    req.setContentType = (type) => { if (!req.headersSent) req.setHeader('Content-Type', type); };
    let started = false;
    const write = req.write.bind(req);
    req.write = (...args) => { started = true; return write(...args); };
    const failed = (e) => {
      if (!started) {
        req.destroy();
        reject(e);
      } else {
        process.stdout.write(`${new Date().toISOString()}\t${requestId}\tERROR\tInvoke Error \t${errorBody(e)}\n`);
        if (!req.writableEnded) req.end();
      }
    };
    try {
      Promise.resolve(fn(event, req, context)).then(() => { if (!req.writableEnded) req.end(); }, failed);
    } catch (e) {
      failed(e);
    }
  });
}

let currentRequestId = '';
for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
  const original = console[level].bind(console);
  const tag = level === 'log' ? 'INFO' : level.toUpperCase();
  console[level] = (...args) => {
    const text = require('util').format(...args);
    process.stdout.write(`${new Date().toISOString()}\t${currentRequestId || 'undefined'}\t${tag}\t${text.replace(/\n/g, '\r')}\n`);
  };
  void original;
}

function errorBody(e) {
  const err = e instanceof Error ? e : new Error(String(e));
  return JSON.stringify({ errorType: err.name || 'Error', errorMessage: err.message,
    trace: (err.stack || '').split('\n') });
}

async function initError(type, message) {
  process.stdout.write(`${new Date().toISOString()}\tundefined\tERROR\t${JSON.stringify({ errorType: type, errorMessage: message })}\n`);
  await call('POST', '/init/error', JSON.stringify({ errorType: type, errorMessage: message, trace: [] }),
    { 'Lambda-Runtime-Function-Error-Type': type });
  process.exit(1);
}

async function loadHandler() {
  const spec = process.env._HANDLER || '';
  const dot = spec.lastIndexOf('.');
  if (dot < 1) return initError('Runtime.MalformedHandlerName', `Bad handler ${spec}`);
  const modulePath = spec.slice(0, dot);
  const name = spec.slice(dot + 1);
  const root = process.env.LAMBDA_TASK_ROOT || process.cwd();
  const fs = require('fs');
  let file = null;
  for (const ext of ['.js', '.mjs', '.cjs']) {
    if (fs.existsSync(path.join(root, modulePath + ext))) { file = path.join(root, modulePath + ext); break; }
  }
  if (!file) return initError('Runtime.ImportModuleError', `Error: Cannot find module '${modulePath}'`);
  let mod;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (e) {
    return initError(e instanceof SyntaxError ? 'Runtime.UserCodeSyntaxError' : 'Runtime.ImportModuleError', String(e));
  }
  const fn = mod[name] || (mod.default && mod.default[name]);
  if (typeof fn !== 'function') return initError('Runtime.HandlerNotFound', `${modulePath}.${name} is undefined or not exported`);
  return fn;
}

function invokeHandler(fn, event, context) {
  return new Promise((resolve, reject) => {
    let done = false;
    const callback = (err, result) => {
      if (done) return;
      done = true;
      err ? reject(err) : resolve(result);
    };
    try {
      const r = fn(event, context, callback);
      if (r && typeof r.then === 'function') r.then((v) => callback(null, v), (e) => callback(e));
      else if (fn.length < 3) callback(null, r);
    } catch (e) {
      callback(e);
    }
  });
}

async function main() {
  const fn = await loadHandler();
  for (;;) {
    const next = await call('GET', '/invocation/next');
    const h = next.headers;
    const requestId = h['lambda-runtime-aws-request-id'];
    currentRequestId = requestId;
    process.env._X_AMZN_TRACE_ID = h['lambda-runtime-trace-id'] || '';
    const deadline = Number(h['lambda-runtime-deadline-ms'] || 0);
    const context = {
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
      invokedFunctionArn: h['lambda-runtime-invoked-function-arn'],
      awsRequestId: requestId,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    try {
      const event = next.body ? JSON.parse(next.body) : {};
      if (fn[HANDLER_STREAMING] === 'response') {
        await streamResponse(fn, event, context, requestId);
        continue;
      }
      const result = await invokeHandler(fn, event, context);
      await call('POST', `/invocation/${requestId}/response`, JSON.stringify(result === undefined ? null : result));
    } catch (e) {
      const body = errorBody(e);
      process.stdout.write(`${new Date().toISOString()}\t${requestId}\tERROR\tInvoke Error \t${body}\n`);
      await call('POST', `/invocation/${requestId}/error`, body, { 'Lambda-Runtime-Function-Error-Type': 'Unhandled' });
    }
  }
}

main().catch((e) => { process.stderr.write(String(e && e.stack || e) + '\n'); process.exit(1); });
