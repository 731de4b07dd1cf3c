// poolifier's worker for FixedClusterPool (a cluster worker): a ClusterWorker with named task
// functions; the first one is the default. CommonJS, not an ES module: poolifier 5.3.2's cluster
// pool sends its first message as soon as the worker is online, and a cluster worker whose
// entry is an ES module registers its 'message' listener later (module loading is asynchronous),
// so that message is probably lost: with an .mjs worker here the pool says it is ready but
// execute() never settles (seen every time), with this .cjs file it works.
/* global module, require */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS worker file */
'use strict';
const { ClusterWorker } = require('poolifier');
const { inc, spin } = require('../../lib/workers/functions.cjs');

module.exports = new ClusterWorker({ inc, spin });
